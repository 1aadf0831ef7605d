/**
 * Backend selection as data: a pure function from platform capabilities and options to a plan,
 * so the choice is testable and reportable (diagnostics), not scattered `if`s.
 */

export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = 'auto' | Backend;

/** What the platform offers; measured by probeCapabilities() or given in tests. */
export interface PlatformCapabilities {
  /** navigator.gpu.requestAdapter() returned an adapter. */
  webgpuAdapter: boolean;
  /**
   * That adapter is a software fallback (e.g. SwiftShader: correct but 100–600× slower than WASM
   * here, measured). 'auto' does not choose it; an explicit 'webgpu' still does.
   */
  webgpuFallbackAdapter?: boolean;
  /** SharedArrayBuffer works for WASM threads: crossOriginIsolated in browsers, always in Node. */
  wasmThreads: boolean;
  /** Logical cores (navigator.hardwareConcurrency / os.availableParallelism). */
  hardwareConcurrency: number;
}

export interface BackendOptions {
  /** 'auto' (default): WebGPU when an adapter exists, else WASM. */
  backend?: BackendPreference;
  /** WASM threads per runtime; default: cores shared among the pool's workers, capped by maxThreads. */
  numThreads?: number;
  /** Cap for the default thread count (default 4: ORT's own default cap; more rarely helps small models). */
  maxThreads?: number;
  /** How many runtimes (pool workers) share the cores; default 1. */
  runtimesSharingCores?: number;
}

export interface BackendPlan {
  /** The backend sessions start on. */
  backend: Backend;
  /** WASM threads (ORT `env.wasm.numThreads`), also used when WebGPU falls back. */
  wasmThreads: number;
  /** Why, in words, for diagnostics. */
  reason: string;
}

export const DEFAULT_MAX_THREADS = 4;

export function chooseBackend(caps: PlatformCapabilities, options: BackendOptions = {}): BackendPlan {
  const preference = options.backend ?? 'auto';
  const maxThreads = Math.max(1, options.maxThreads ?? DEFAULT_MAX_THREADS);
  const sharing = Math.max(1, options.runtimesSharingCores ?? 1);
  const cores = Math.max(1, caps.hardwareConcurrency || 1);

  let wasmThreads: number;
  let threadReason: string;
  if (!caps.wasmThreads) {
    wasmThreads = 1;
    threadReason = 'single-threaded WASM (not cross-origin isolated: no SharedArrayBuffer)';
  } else if (options.numThreads !== undefined) {
    wasmThreads = Math.max(1, Math.floor(options.numThreads));
    threadReason = `${wasmThreads} WASM threads (set by option)`;
  } else {
    wasmThreads = Math.min(maxThreads, Math.max(1, Math.floor(cores / sharing)));
    threadReason = `${wasmThreads} WASM threads (${cores} cores / ${sharing} runtime(s), cap ${maxThreads})`;
  }

  if (preference === 'wasm') return { backend: 'wasm', wasmThreads, reason: `WASM by option; ${threadReason}` };
  if (caps.webgpuAdapter && caps.webgpuFallbackAdapter && preference === 'auto') {
    return { backend: 'wasm', wasmThreads, reason: `WebGPU adapter is a software fallback: WASM; ${threadReason}` };
  }
  if (caps.webgpuAdapter) {
    const why = preference === 'webgpu' ? 'WebGPU by option' : 'WebGPU adapter found';
    return { backend: 'webgpu', wasmThreads, reason: `${why}; WASM fallback: ${threadReason}` };
  }
  const why = preference === 'webgpu' ? 'WebGPU requested but no adapter: WASM' : 'no WebGPU adapter: WASM';
  return { backend: 'wasm', wasmThreads, reason: `${why}; ${threadReason}` };
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/**
 * Measures the capabilities of the current realm (page or worker). Node entry points pass what
 * they know (`wasmThreads: true`, the core count) in `known`, which wins over measurement, so this
 * module never imports node:* and stays bundle-safe.
 */
export async function probeCapabilities(known: Partial<PlatformCapabilities> = {}): Promise<PlatformCapabilities> {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike; hardwareConcurrency?: number } }).navigator;
  let webgpuAdapter = known.webgpuAdapter ?? false;
  let webgpuFallbackAdapter = known.webgpuFallbackAdapter ?? false;
  if (known.webgpuAdapter === undefined && nav?.gpu) {
    try {
      const adapter = (await nav.gpu.requestAdapter()) as { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } } | null;
      webgpuAdapter = adapter != null;
      // `info.isFallbackAdapter` is the current spelling; the adapter attribute the older one.
      webgpuFallbackAdapter = adapter?.info?.isFallbackAdapter === true || adapter?.isFallbackAdapter === true;
    } catch {
      webgpuAdapter = false;
    }
  }
  return {
    webgpuAdapter,
    webgpuFallbackAdapter,
    wasmThreads: known.wasmThreads ?? globalThis.crossOriginIsolated === true,
    hardwareConcurrency: known.hardwareConcurrency ?? nav?.hardwareConcurrency ?? 1,
  };
}

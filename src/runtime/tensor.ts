/**
 * Tensors as plain data ({type, data, dims}): what crosses the worker boundary (structured clone,
 * with the typed-array buffers transferred) and what the engine sees. No ORT types leak out.
 */

export type TensorType = 'float32' | 'int32' | 'int64' | 'uint8' | 'bool';

export interface TensorTypeMap {
  float32: Float32Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

export interface TensorData<T extends TensorType = TensorType> {
  type: T;
  data: TensorTypeMap[T];
  dims: number[];
}

/** Named tensors, for a model's inputs (feeds) or outputs. */
export type TensorMap = Record<string, TensorData>;

export const float32Tensor = (data: Float32Array, dims: number[]): TensorData<'float32'> => ({ type: 'float32', data, dims });

export const elementCount = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);

/**
 * The distinct buffers behind a tensor map, to list as transferables. Transferring detaches them in
 * the sender: callers hand their input buffers over (no pixel copies) and must not reuse them.
 * SharedArrayBuffers are shared, not transferred, so they are left out.
 */
export function transferablesOf(tensors: TensorMap): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const t of Object.values(tensors)) {
    const buffer = t.data.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) buffers.add(buffer);
  }
  return [...buffers];
}

/** A zero-filled tensor of the given type and shape (warm-up inputs). */
export function zeroTensor(type: TensorType, dims: number[]): TensorData {
  const n = elementCount(dims);
  switch (type) {
    case 'float32': return { type, data: new Float32Array(n), dims };
    case 'int32': return { type, data: new Int32Array(n), dims };
    case 'int64': return { type, data: new BigInt64Array(n), dims };
    case 'uint8': return { type, data: new Uint8Array(n), dims };
    case 'bool': return { type, data: new Uint8Array(n), dims };
  }
}

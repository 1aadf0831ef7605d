/**
 * `localface serve`: the REST API on a local port for apps written against the vendor's server.
 *
 * Persons and groups live in an IndexedDB: Node has none, so fake-indexeddb provides one **in
 * memory**. Without `--data FILE` everything enrolled is gone when the process exits; with it the
 * gallery is loaded from FILE at start and written back after changes (src/rest/gallery-file.ts).
 * Liveness transactions are memory-only either way.
 */
// Node has no IndexedDB: this one keeps the store in memory.
import 'fake-indexeddb/auto';
import { createNodeFaceSdk } from '../node.ts';
import { PROFILE_NAMES, isProfileName, type ProfileName } from '../engine/profiles.ts';
import { IndexedDbFaceStore } from '../store/idb-store.ts';
import { IndexedDbLivenessStore } from '../liveness/transaction-store.ts';
import { createRestRouter } from './router.ts';
import { listenRest, DEFAULT_MAX_BODY_BYTES } from './node-http.ts';
import { loadGalleryFile, persistGallery } from './gallery-file.ts';

export const SERVE_HELP = `localface serve — the Regula Face SDK Web API 6.4 on this machine

Usage:
  localface serve [--port 41101] [--host 127.0.0.1] [--workers N] [--profile NAME] [--max-body-mb 32] [--cors ORIGIN|off]

  --port N          port to listen on (default 41101; 0 = any free port)
  --host ADDR       address to bind (default 127.0.0.1: this machine only)
  --workers N       inference worker threads (default: cores, at most 4)
  --profile NAME    engine profile: accurate (default), fast or compact (own threshold each)
  --max-body-mb N   largest request body (default 32); larger requests get 413
  --cors ORIGIN     Access-Control-Allow-Origin (default *); "off" sends no CORS headers
  --data FILE       keep the gallery (persons, groups, images) in FILE between runs
  --grace-s N       on SIGINT/SIGTERM, wait up to N seconds for requests in flight (default 30)

Without --data, persons and groups are kept in memory only (lost on exit). Stop with Ctrl-C (SIGINT) or SIGTERM:
requests in flight finish first.`;

export interface ServeArgs {
  port: number;
  host: string;
  workers?: number;
  maxBodyBytes: number;
  corsOrigin: string | false;
  graceMs: number;
  dataFile?: string;
  profile?: ProfileName;
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const args: ServeArgs = { port: 41101, host: '127.0.0.1', maxBodyBytes: DEFAULT_MAX_BODY_BYTES, corsOrigin: '*', graceMs: 30_000 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const number = (min: number, max: number): number => {
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < min || n > max) throw new RangeError(`${flag} takes an integer ${min}..${max}`);
      i++;
      return n;
    };
    if (flag === '--port') args.port = number(0, 65535);
    else if (flag === '--host') { if (!value) throw new RangeError('--host takes an address'); args.host = value; i++; }
    else if (flag === '--workers') args.workers = number(1, 64);
    else if (flag === '--max-body-mb') args.maxBodyBytes = number(1, 1024) * 1024 * 1024;
    else if (flag === '--data') { if (!value) throw new RangeError('--data takes a file path'); args.dataFile = value; i++; }
    else if (flag === '--profile') { if (!isProfileName(value)) throw new RangeError(`--profile takes ${PROFILE_NAMES.join(', ')}`); args.profile = value; i++; }
    else if (flag === '--grace-s') args.graceMs = number(0, 3600) * 1000;
    else if (flag === '--cors') { if (!value) throw new RangeError('--cors takes an origin or "off"'); args.corsOrigin = value === 'off' ? false : value; i++; }
    else throw new RangeError(`unknown option ${flag}`);
  }
  return args;
}

/** Runs the server until SIGINT/SIGTERM; resolves with the exit status once shut down. */
export async function runServe(argv: string[], log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(SERVE_HELP + '\n'); return 0; }
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv);
  } catch (error) {
    log(`localface serve: ${(error as Error).message}`);
    return 2;
  }
  const store = await IndexedDbFaceStore.open({ name: 'localface-serve' });
  const livenessStore = await IndexedDbLivenessStore.open('localface-serve-liveness');
  const sdk = await createNodeFaceSdk({ store, livenessStore, ...(args.workers ? { workers: args.workers } : {}), ...(args.profile ? { profile: args.profile } : {}) });
  let handler = createRestRouter(sdk);
  let gallery: ReturnType<typeof persistGallery> | undefined;
  if (args.dataFile) {
    try {
      const loaded = await loadGalleryFile(store, args.dataFile);
      log(loaded ? `localface serve: loaded ${loaded.persons} persons, ${loaded.images} images from ${args.dataFile}` : `localface serve: ${args.dataFile} will be created on the first change`);
    } catch (error) {
      log(`localface serve: cannot load ${args.dataFile}: ${(error as Error).message}`);
      sdk.close();
      return 1;
    }
    gallery = persistGallery(store, args.dataFile, handler, 1000, (e) => log(`localface serve: saving ${args.dataFile} failed: ${(e as Error).message}`));
    handler = gallery.handler;
  }
  const server = await listenRest(handler, { port: args.port, host: args.host, maxBodyBytes: args.maxBodyBytes, corsOrigin: args.corsOrigin });
  log(`localface serve: listening on ${server.url}/api (models loading; GET /api/readyz turns 200 when loaded)`);
  sdk.ready().then(() => log('localface serve: models loaded'), (e: unknown) => log(`localface serve: model load failed: ${(e as Error).message}`));

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt).off('SIGTERM', onTerm);
      log(`localface serve: ${signal}, finishing requests in flight`);
      resolve();
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt).on('SIGTERM', onTerm);
  });
  await server.close(args.graceMs);
  await gallery?.flush();
  sdk.close();
  log('localface serve: stopped');
  // A model load still pending at shutdown keeps the pool's broadcast timer (up to its 30 s
  // timeout) alive after close(); nothing is left to do, so end the process once the CLI has set
  // its exit status.
  setImmediate(() => process.exit(process.exitCode ?? 0));
  return 0;
}

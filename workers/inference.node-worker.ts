/** Node worker_threads entry: the same inference API as the browser worker, over comlink. */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { nodeEndpoint } from '../src/runtime/node-endpoint.ts';
import { createNodeInferenceApi } from '../src/runtime/node.ts';

if (!parentPort) throw new Error('inference.node-worker.ts must run in a worker thread');
Comlink.expose(createNodeInferenceApi(), nodeEndpoint(parentPort));

/// <reference lib="webworker" />
/**
 * Standalone Service Worker entry (built to /rest.sw.js): the Regula Face SDK Web API at /api/
 * of this origin, answered on the device. Register it as a module worker with a scope that covers
 * the pages calling the API:
 *
 *   navigator.serviceWorker.register('/rest.sw.js', { type: 'module', scope: '/' });
 *
 * An app with its own Service Worker imports `handleRestFetch` from src/rest/service-worker.ts instead.
 */
import { installRestServiceWorker } from '../src/rest/service-worker.ts';

installRestServiceWorker();

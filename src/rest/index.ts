/**
 * Platform-neutral REST entry (`localface/rest`): the router and the axios adapter. The Service
 * Worker handler is `localface/rest/service-worker`, the Node server `localface/rest/node`.
 */
export { createRestRouter, isRestPath, ROUTES, type RestFacade, type RestHandler, type RestRequest, type RestResponse, type RouterOptions } from './router.ts';
export { localfaceAxiosAdapter } from './axios-adapter.ts';

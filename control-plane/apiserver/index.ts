// control-plane/apiserver/index.ts — the API server's public face: start it over a store (and a registry),
// and the pieces a test or another front end may use on their own.
export { startApiServer, type ApiFallback, type ApiServer, type ApiServerOptions } from './server.js';
export { RestStorage, type PatchType, type WriteOptions } from './rest.js';
export { SERVER_VERSION } from './discovery.js';

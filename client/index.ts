// client/index.ts — the client's public face: the KubeClient interface and resource refs (types.ts), its
// errors (errors.ts), the HTTP implementation (http.ts), kubeconfig loading (kubeconfig.ts) and the
// list+watch cache (informer.ts), discovery of the resource of a kind (discovery.ts) and Warning headers (warnings.ts).
export * from './types.js';
export * from './errors.js';
export { HttpKubeClient, type ClientConfig } from './http.js';
export { loadKubeconfig, clientFromKubeconfig } from './kubeconfig.js';
export { Informer, backoffMs, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, type InformerHandlers, type InformerLog, type InformerOptions } from './informer.js';
export { jsonLines } from './watch-stream.js';
export { ResourceDiscovery, NoKindMatchError, splitApiVersion } from './discovery.js';
export { warningTexts } from './warnings.js';

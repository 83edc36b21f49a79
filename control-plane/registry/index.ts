// control-plane/registry/index.ts — the registry's public face: the served resources (Registry, the
// default kinds), the generic strategy glue the API server runs writes through, the Table builder, and
// the types a kind file fills in.
export { Registry, defaultKinds, type Resource, type GroupVersions } from './registry.js';
export { prepareCreate, defaultUpdate, createStrategy, updateStrategy, type Subresource, type AfterPrepare } from './strategy.js';
export { toTable, humanDuration, type IncludeObject, type Table } from './table.js';
export * from './types.js';

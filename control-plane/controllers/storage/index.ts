// control-plane/controllers/storage/index.ts — persistent volumes on one node: the binder, pvc/pv-protection and
// the local-path provisioner (controller.ts, decisions in decide.ts), started by controllers/index.ts.
export { startStorageController, type StorageController, type StorageControllerOptions } from './controller.js';
export * from './decide.js';
export * from './types.js';
export { quantityOf } from './quantity.js';

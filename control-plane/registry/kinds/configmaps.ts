// control-plane/registry/kinds/configmaps.ts — ConfigMap (core/v1, `cm`): data keys are config keys, data and
// binaryData share no key and hold at most 1 MiB together, an `immutable` ConfigMap keeps its data; printed as
// NAME DATA AGE; kubectl's typed `create configmap` may send it as protobuf.
import { dataKeyErrors, immutableErrors, mapOf, MAX_DATA_BYTES, OBJECT_META, sizeError } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef } from '../types.js';
import { invalidValue } from '../validation.js';

export const configMaps: KindDef = {
  group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'],
  description: 'ConfigMap holds configuration data for pods to consume.',
  fields: {
    data: { type: 'map', description: 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.' },
    binaryData: { type: 'map', description: 'BinaryData contains the binary data (base64). Its keys may not overlap with the keys in the Data field.' },
    immutable: { type: 'boolean', description: 'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).' },
  },
  validate(o) {
    const errs: FieldError[] = [];
    const size = dataKeyErrors(o, 'data', errs, true) + dataKeyErrors(o, 'binaryData', errs, true);
    const data = mapOf(o['data']);
    for (const k of Object.keys(mapOf(o['binaryData']))) {
      if (Object.hasOwn(data, k)) errs.push(invalidValue(`binaryData[${k}]`, k, 'duplicate of key present in data'));
    }
    if (size > MAX_DATA_BYTES) errs.push(sizeError(''));
    return errs;
  },
  validateUpdate: (o, old) => immutableErrors(o, old, ['data', 'binaryData']),
  table: {
    columns: [NAME_COLUMN, col('Data', 'Data contains the configuration data.'), AGE_COLUMN],
    cells: (o, now) => [nameOf(o), Object.keys(mapOf((o as { data?: unknown }).data)).length + Object.keys(mapOf((o as { binaryData?: unknown }).binaryData)).length, ageOf(o, now)],
  },
  protobuf: {
    1: { name: 'metadata', type: 'message', message: OBJECT_META },
    2: { name: 'data', type: 'map', values: 'string' },
    3: { name: 'binaryData', type: 'map', values: 'bytes' },
    4: { name: 'immutable', type: 'bool' },
  },
};

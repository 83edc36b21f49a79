// control-plane/registry/kinds/secrets.ts — Secret (core/v1): `stringData` is folded into base64 `data` (it
// wins on a shared key) and never stored, `data` values must be base64, type defaults to Opaque and never
// changes, the well-known types need their keys, an `immutable` Secret keeps its data; printed as
// NAME TYPE DATA AGE; kubectl's typed `create secret` may send it as protobuf.
import { badRequest } from '../../store/index.js';
import { dataKeyErrors, immutableErrors, mapOf, MAX_DATA_BYTES, OBJECT_META, sizeError, unchanged } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, Mutable } from '../types.js';
import { invalidValue, required } from '../validation.js';

/** The keys each well-known type requires in `data` (ValidateSecret). */
const REQUIRED_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};
const DOCKER_KEYS: Readonly<Record<string, string>> = { 'kubernetes.io/dockercfg': '.dockercfg', 'kubernetes.io/dockerconfigjson': '.dockerconfigjson' };

/** Index of the first byte Go's strict base64 decoder refuses, or -1. */
function badBase64At(s: string): number {
  const i = s.search(/[^A-Za-z0-9+/=]/);
  if (i >= 0) return i;
  const pad = s.indexOf('=');
  if (pad >= 0 && !/^={1,2}$/.test(s.slice(pad))) return pad;
  return s.length % 4 === 0 ? -1 : s.length - (s.length % 4);
}

/** v1 → stored form: stringData into data, type Opaque when unset; undecodable data is a 400 as upstream. */
function normalize(o: Mutable): void {
  const data: Record<string, string> = { ...mapOf(o['data']) };
  for (const [k, v] of Object.entries(data)) {
    const at = badBase64At(String(v));
    if (at >= 0) throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`);
  }
  for (const [k, v] of Object.entries(mapOf(o['stringData']))) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  delete o['stringData'];
  if (Object.keys(data).length > 0) o['data'] = data; else delete o['data'];
  if (!o['type']) o['type'] = 'Opaque';
}

function typeErrors(o: Mutable): FieldError[] {
  const type = String(o['type'] ?? '');
  const data = mapOf(o['data']);
  if (type === 'kubernetes.io/service-account-token') {
    const ann = o.metadata.annotations ?? {};
    return ann['kubernetes.io/service-account.name'] ? [] : [required('metadata.annotations[kubernetes.io/service-account.name]')];
  }
  if (type === 'kubernetes.io/basic-auth') {
    return Object.hasOwn(data, 'username') || Object.hasOwn(data, 'password') ? [] : [required('data[username]'), required('data[password]')];
  }
  const errs = (REQUIRED_KEYS[type] ?? []).filter((k) => !data[k]).map((k) => required(`data[${k}]`));
  const dockerKey = DOCKER_KEYS[type];
  if (dockerKey && data[dockerKey]) {
    try { JSON.parse(Buffer.from(data[dockerKey]!, 'base64').toString('utf8')); } catch (e) {
      errs.push(invalidValue(`data[${dockerKey}]`, '<secret contents redacted>', (e as Error).message));
    }
  }
  return errs;
}

export const secrets: KindDef = {
  group: '', version: 'v1', kind: 'Secret', resource: 'secrets', singular: 'secret', namespaced: true,
  description: 'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
  fields: {
    data: { type: 'map', description: 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string.' },
    stringData: { type: 'map', description: 'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.' },
    type: { type: 'string', description: 'Used to facilitate programmatic handling of secret data.' },
    immutable: { type: 'boolean', description: 'Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).' },
  },
  defaults: normalize,
  validate(o) {
    const errs: FieldError[] = [];
    const size = dataKeyErrors(o, 'data', errs, false);
    if (size > MAX_DATA_BYTES * 4 / 3 + 4) errs.push(sizeError('data'));
    return [...errs, ...typeErrors(o)];
  },
  validateUpdate: (o, old) => [...unchanged(o, old, 'type'), ...immutableErrors(o, old, ['data'])],
  selectableFields: { names: ['type'], get: (o) => ({ type: String((o as { type?: string }).type ?? '') }) },
  table: {
    columns: [NAME_COLUMN, col('Type', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'Data contains the secret data.'), AGE_COLUMN],
    cells: (o, now) => [nameOf(o), String((o as { type?: string }).type ?? ''), Object.keys(mapOf((o as { data?: unknown }).data)).length, ageOf(o, now)],
  },
  protobuf: {
    1: { name: 'metadata', type: 'message', message: OBJECT_META },
    2: { name: 'data', type: 'map', values: 'bytes' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'map', values: 'string' },
    5: { name: 'immutable', type: 'bool' },
  },
};

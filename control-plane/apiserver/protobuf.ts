// control-plane/apiserver/protobuf.ts — reads the Kubernetes protobuf bodies typed clients send
// (`application/vnd.kubernetes.protobuf`: kubectl's `create configmap|secret|namespace|deployment|job|
// cronjob`): the `k8s\0` magic, then a runtime.Unknown (1: TypeMeta {1: apiVersion, 2: kind}, 2: the raw
// object), the raw object decoded with the kind's layout from the registry (ProtoMessage: field number →
// name and type; the workload kinds' layouts are in registry/proto/) into its JSON form. The wire format
// itself is protobuf-wire.ts.
//
// PURE. A body of a kind without a layout is a 415 (kubectl does not retry it as JSON: its create fails).
import { badRequest, StatusError } from '../store/index.js';
import type { ProtoField, ProtoMessage } from '../registry/index.js';
import { bytesOf, intOf, intOrString, mapEntry, quantity, readFields, time, varintsOf, type Field } from './protobuf-wire.js';

type Obj = Record<string, unknown>;

const MAGIC = Buffer.from('k8s\0', 'latin1');

export const isProtobuf = (contentType: string): boolean => /^application\/vnd\.kubernetes\.protobuf/i.test(contentType);

const push = <T>(out: Obj, name: string, ...v: T[]): void => { ((out[name] ??= []) as T[]).push(...v); };

function mapValue(spec: Extract<ProtoField, { type: 'map' }>, v: Field | undefined): string {
  if (!v) return '';
  return spec.values === 'bytes' ? bytesOf(v).toString('base64') : spec.values === 'quantity' ? quantity(v) : bytesOf(v).toString('utf8');
}

function setField(out: Obj, spec: ProtoField, f: Field): void {
  const name = spec.name;
  switch (spec.type) {
    // Typed clients write every string field; an empty one is proto3's "unset".
    case 'string': if (bytesOf(f).length > 0) out[name] = bytesOf(f).toString('utf8'); break;
    case 'bytes': out[name] = bytesOf(f).toString('base64'); break;
    case 'bool': if (!spec.omitZero || intOf(f) !== 0) out[name] = intOf(f) !== 0; break;
    case 'int': if (!spec.omitZero || intOf(f) !== 0) out[name] = intOf(f); break;
    case 'ints': push(out, name, ...varintsOf(f)); break;
    case 'strings': push(out, name, bytesOf(f).toString('utf8')); break;
    case 'intOrString': out[name] = intOrString(f); break;
    case 'quantity': out[name] = quantity(f); break;
    case 'time': { const t = time(f); if (t !== undefined) out[name] = t; break; }
    case 'map': {
      const [k, v] = mapEntry(f);
      ((out[name] ??= {}) as Obj)[k] = mapValue(spec, v);
      break;
    }
    case 'message': {
      const m = decodeMessage(bytesOf(f), spec.message);
      if (spec.inline) Object.assign(out, m);
      else if (spec.repeated) push(out, name, m);
      else out[name] = m;
    }
  }
}

export function decodeMessage(buf: Buffer, message: ProtoMessage): Obj {
  const out: Obj = {};
  for (const f of readFields(buf)) {
    const spec = message[f.no];
    if (spec) setField(out, spec, f);
  }
  return out;
}

const unsupported = (kind: string): StatusError => new StatusError(415, 'UnsupportedMediaType',
  `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml${kind ? ` (no protobuf form of ${kind} is served)` : ''}`);

/** Decodes a `k8s\0`-framed body of the expected kind into JSON. */
export function decodeProtobuf(body: Buffer, expected?: { kind: string; apiVersion: string; message?: ProtoMessage }): Obj {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('the protobuf body does not start with the k8s magic number');
  let kind = '';
  let apiVersion = '';
  let raw: Buffer = Buffer.alloc(0);
  for (const f of readFields(body.subarray(4))) {
    if (f.no === 1) {
      for (const t of readFields(bytesOf(f))) {
        if (t.no === 1) apiVersion = bytesOf(t).toString('utf8');
        else if (t.no === 2) kind = bytesOf(t).toString('utf8');
      }
    } else if (f.no === 2) raw = bytesOf(f);
  }
  if (!expected?.message || (kind && kind !== expected.kind)) throw unsupported(kind);
  return { apiVersion: apiVersion || expected.apiVersion, kind: expected.kind, ...decodeMessage(raw, expected.message) };
}

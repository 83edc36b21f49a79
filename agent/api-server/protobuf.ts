// agent/api-server/protobuf.ts — reads the Kubernetes protobuf bodies kubectl's typed commands send
// (`kubectl create configmap|secret` post `application/vnd.kubernetes.protobuf`), for the kinds the API
// serves that way: ConfigMap and Secret, with their ObjectMeta.
//
// The envelope is the 4-byte magic `k8s\0` then a runtime.Unknown message (1: TypeMeta{1: apiVersion,
// 2: kind}, 2: raw object bytes); field numbers below are those of k8s.io/api/core/v1 generated.proto and
// apimachinery's meta/v1 ObjectMeta. PURE; called by request.ts decodeBody (its errors come from
// api-error.ts, so the two do not import each other). Answers the JSON shape.
import { ApiError, badRequest } from './api-error.js';

type Obj = Record<string, unknown>;
type Field = { no: number; wire: number; value: number | Buffer };

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (let n = 0; n < 10; n++) {
      if (i >= buf.length) throw badRequest('the protobuf body is truncated');
      const b = buf[i++]!;
      v += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return v;
      mul *= 128;
    }
    throw badRequest('the protobuf body has a malformed varint');
  };
  while (i < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw badRequest('the protobuf body is truncated');
      out.push({ no, wire, value: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw badRequest(`the protobuf body has an unsupported wire type ${wire}`);
  }
  return out;
}

const text = (f: Field): string => (Buffer.isBuffer(f.value) ? f.value.toString('utf8') : '');
const bytes = (f: Field): Buffer => (Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0));

/** A map<string, string|bytes> entry (1: key, 2: value). */
function entry(f: Field): [string, Buffer] {
  let k = '';
  let v: Buffer = Buffer.alloc(0);
  for (const e of fields(bytes(f))) {
    if (e.no === 1) k = text(e);
    else if (e.no === 2) v = bytes(e);
  }
  return [k, v];
}

function objectMeta(buf: Buffer): Obj {
  const md: Obj = {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const f of fields(buf)) {
    // Empty strings are proto3's "unset".
    if (f.no === 1 && text(f)) md.name = text(f);
    else if (f.no === 2 && text(f)) md.generateName = text(f);
    else if (f.no === 3 && text(f)) md.namespace = text(f);
    else if (f.no === 11) { const [k, v] = entry(f); labels[k] = v.toString('utf8'); }
    else if (f.no === 12) { const [k, v] = entry(f); annotations[k] = v.toString('utf8'); }
  }
  if (Object.keys(labels).length) md.labels = labels;
  if (Object.keys(annotations).length) md.annotations = annotations;
  return md;
}

function configMap(buf: Buffer): Obj {
  const o: Obj = { apiVersion: 'v1', kind: 'ConfigMap' };
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const f of fields(buf)) {
    if (f.no === 1) o.metadata = objectMeta(bytes(f));
    else if (f.no === 2) { const [k, v] = entry(f); data[k] = v.toString('utf8'); }
    else if (f.no === 3) { const [k, v] = entry(f); binaryData[k] = v.toString('base64'); }
    else if (f.no === 4) o.immutable = f.value === 1;
  }
  if (Object.keys(data).length) o.data = data;
  if (Object.keys(binaryData).length) o.binaryData = binaryData;
  return o;
}

function secret(buf: Buffer): Obj {
  const o: Obj = { apiVersion: 'v1', kind: 'Secret' };
  const data: Record<string, string> = {};
  const stringData: Record<string, string> = {};
  for (const f of fields(buf)) {
    if (f.no === 1) o.metadata = objectMeta(bytes(f));
    else if (f.no === 2) { const [k, v] = entry(f); data[k] = v.toString('base64'); }
    else if (f.no === 3 && text(f)) o.type = text(f);
    else if (f.no === 4) { const [k, v] = entry(f); stringData[k] = v.toString('utf8'); }
    else if (f.no === 5) o.immutable = f.value === 1;
  }
  if (Object.keys(data).length) o.data = data;
  if (Object.keys(stringData).length) o.stringData = stringData;
  return o;
}

/** Decodes a `k8s\0`-framed protobuf body into the object's JSON form (ConfigMap or Secret). */
export function decodeKubeProtobuf(body: Buffer): Obj {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('the protobuf body does not start with the k8s magic number');
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  for (const f of fields(body.subarray(4))) {
    if (f.no === 1) for (const t of fields(bytes(f))) { if (t.no === 2) kind = text(t); }
    else if (f.no === 2) raw = bytes(f);
  }
  if (kind === 'ConfigMap') return configMap(raw);
  if (kind === 'Secret') return secret(raw);
  throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unsupported format for ${kind || 'this object'} - accepted media types include: application/json, application/yaml`);
}

// control-plane/apiserver/protobuf.ts — reads the Kubernetes protobuf bodies typed clients send
// (`application/vnd.kubernetes.protobuf`: kubectl's `create configmap|secret|namespace`): the `k8s\0` magic,
// then a runtime.Unknown (1: TypeMeta {1: apiVersion, 2: kind}, 2: the raw object), the raw object decoded
// with the kind's layout from the registry (ProtoMessage: field number → name and type) into its JSON form.
//
// PURE. A body of a kind without a layout is a 415, which makes a client fall back to JSON.
import { badRequest, StatusError } from '../store/index.js';
import type { ProtoField, ProtoMessage } from '../registry/index.js';

type Obj = Record<string, unknown>;
interface Field { no: number; wire: number; value: number | Buffer }

const MAGIC = Buffer.from('k8s\0', 'latin1');

export const isProtobuf = (contentType: string): boolean => /^application\/vnd\.kubernetes\.protobuf/i.test(contentType);

/** A cursor over protobuf wire format: varints and length-delimited fields (fixed-size ones are skipped). */
class WireReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean { return this.at >= this.buf.length; }

  varint(): number {
    let value = 0;
    for (let scale = 1, n = 0; n < 10; n++, scale *= 128) {
      const b = this.buf[this.at++];
      if (b === undefined) throw badRequest('the protobuf body is truncated');
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
    throw badRequest('the protobuf body has a malformed varint');
  }

  take(len: number): Buffer {
    if (this.at + len > this.buf.length) throw badRequest('the protobuf body is truncated');
    this.at += len;
    return this.buf.subarray(this.at - len, this.at);
  }
}

const FIXED_SIZE: Readonly<Record<number, number>> = { 1: 8, 5: 4 };

function readFields(buf: Buffer): Field[] {
  const out: Field[] = [];
  const r = new WireReader(buf);
  while (!r.done) {
    const key = r.varint();
    const field = { no: Math.floor(key / 8), wire: key % 8 };
    if (field.wire === 0) out.push({ ...field, value: r.varint() });
    else if (field.wire === 2) out.push({ ...field, value: r.take(r.varint()) });
    else if (FIXED_SIZE[field.wire] !== undefined) r.take(FIXED_SIZE[field.wire]!);
    else throw badRequest(`the protobuf body has an unsupported wire type ${field.wire}`);
  }
  return out;
}

const bytesOf = (f: Field): Buffer => (Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0));

function mapEntry(f: Field): [string, Buffer] {
  let key = '';
  let value: Buffer = Buffer.alloc(0);
  for (const e of readFields(bytesOf(f))) {
    if (e.no === 1) key = bytesOf(e).toString('utf8');
    else if (e.no === 2) value = bytesOf(e);
  }
  return [key, value];
}

function setField(out: Obj, spec: ProtoField, f: Field): void {
  const name = spec.name;
  switch (spec.type) {
    // Typed clients write every string field; an empty one is proto3's "unset".
    case 'string': if (bytesOf(f).length > 0) out[name] = bytesOf(f).toString('utf8'); break;
    case 'bytes': out[name] = bytesOf(f).toString('base64'); break;
    case 'bool': out[name] = f.value === 1; break;
    case 'int': out[name] = typeof f.value === 'number' ? f.value : 0; break;
    case 'strings': ((out[name] ??= []) as string[]).push(bytesOf(f).toString('utf8')); break;
    case 'map': {
      const [k, v] = mapEntry(f);
      ((out[name] ??= {}) as Obj)[k] = spec.values === 'bytes' ? v.toString('base64') : v.toString('utf8');
      break;
    }
    case 'message': {
      const m = decodeMessage(bytesOf(f), spec.message);
      if (spec.repeated) ((out[name] ??= []) as Obj[]).push(m); else out[name] = m;
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

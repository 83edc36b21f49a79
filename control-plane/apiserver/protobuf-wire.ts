// control-plane/apiserver/protobuf-wire.ts — the protobuf wire format under protobuf.ts: a body split into
// fields (varints and length-delimited ones; fixed-size ones skipped), signed 64-bit varints (Go writes a
// negative int32/int64 as ten bytes), packed or unpacked repeated varints, and the apimachinery messages
// every kind shares: IntOrString, Quantity, Time (→ RFC3339 as metav1.Time marshals it).
//
// PURE.
import { badRequest } from '../store/index.js';

export interface Field { no: number; wire: number; value: number | Buffer }

/** A cursor over protobuf wire format. */
class WireReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean { return this.at >= this.buf.length; }

  /** A varint as a signed 64-bit number (exact up to 2^53). */
  varint(): number {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.buf[this.at++];
      if (b === undefined) throw badRequest('the protobuf body is truncated');
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, value));
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

export function readFields(buf: Buffer): Field[] {
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

export const bytesOf = (f: Field): Buffer => (Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0));
export const intOf = (f: Field): number => (typeof f.value === 'number' ? f.value : 0);
const text = (f: Field): string => bytesOf(f).toString('utf8');

/** The varints of a repeated integer field: packed (one length-delimited field) or one per field. */
export function varintsOf(f: Field): number[] {
  if (typeof f.value === 'number') return [f.value];
  const out: number[] = [];
  const r = new WireReader(f.value);
  while (!r.done) out.push(r.varint());
  return out;
}

/** A map<string, V> entry: its key and the raw value field. */
export function mapEntry(f: Field): [string, Field | undefined] {
  let key = '';
  let value: Field | undefined;
  for (const e of readFields(bytesOf(f))) {
    if (e.no === 1) key = text(e);
    else if (e.no === 2) value = e;
  }
  return [key, value];
}

/** intstr.IntOrString {1: type (0 Int, 1 String), 2: intVal, 3: strVal}. */
export function intOrString(f: Field): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  for (const e of readFields(bytesOf(f))) {
    if (e.no === 1) type = intOf(e);
    else if (e.no === 2) intVal = intOf(e);
    else if (e.no === 3) strVal = text(e);
  }
  return type === 1 ? strVal : intVal;
}

/** resource.Quantity {1: string}. */
export const quantity = (f: Field): string => readFields(bytesOf(f)).filter((e) => e.no === 1).map(text).pop() ?? '';

/** metav1.Time {1: seconds, 2: nanos} as RFC3339 in seconds (its JSON form); undefined for the zero time
 *  (Go writes it as an empty message). */
export function time(f: Field): string | undefined {
  if (bytesOf(f).length === 0) return undefined;
  let seconds = 0;
  for (const e of readFields(bytesOf(f))) if (e.no === 1) seconds = intOf(e);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

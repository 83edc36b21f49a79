// control-plane/registry/proto/fields.ts — short constructors of protobuf layout fields (types.ts ProtoField)
// so the tables of registry/proto/ read like the generated.proto files they follow: str('name'),
// int('replicas'), int0('minReadySeconds') for a Go non-pointer `omitempty` int (zero dropped), msg/list for
// nested and repeated messages, inline for embedded Go structs, map/qtyMap for map<string, string|Quantity>.
//
// PURE data.
import type { ProtoField, ProtoMessage } from '../types.js';

export const str = (name: string): ProtoField => ({ name, type: 'string' });
export const strs = (name: string): ProtoField => ({ name, type: 'strings' });
/** A pointer int32/int64 (or a non-omitempty one): 0 is kept. */
export const int = (name: string): ProtoField => ({ name, type: 'int' });
/** A non-pointer `omitempty` int32/int64: 0 is "unset". */
export const int0 = (name: string): ProtoField => ({ name, type: 'int', omitZero: true });
export const ints = (name: string): ProtoField => ({ name, type: 'ints' });
/** A pointer bool: false is kept. */
export const bool = (name: string): ProtoField => ({ name, type: 'bool' });
/** A non-pointer `omitempty` bool: false is "unset". */
export const bool0 = (name: string): ProtoField => ({ name, type: 'bool', omitZero: true });
export const intOrStr = (name: string): ProtoField => ({ name, type: 'intOrString' });
export const qty = (name: string): ProtoField => ({ name, type: 'quantity' });
export const time = (name: string): ProtoField => ({ name, type: 'time' });
export const map = (name: string): ProtoField => ({ name, type: 'map', values: 'string' });
export const qtyMap = (name: string): ProtoField => ({ name, type: 'map', values: 'quantity' });
export const msg = (name: string, message: ProtoMessage): ProtoField => ({ name, type: 'message', message });
export const list = (name: string, message: ProtoMessage): ProtoField => ({ name, type: 'message', message, repeated: true });
/** An embedded Go struct (`json:",inline"`): its fields belong to the parent. */
export const inline = (goName: string, message: ProtoMessage): ProtoField => ({ name: goName, type: 'message', message, inline: true });

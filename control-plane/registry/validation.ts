// control-plane/registry/validation.ts — the field errors every kind's validation is made of (field.Required,
// Invalid, Forbidden, NotSupported, Duplicate, TooLong), the name rules with apimachinery's texts (DNS-1123
// subdomain and label, qualified names of labels/annotations/finalizers, label values, config keys) and
// ValidateObjectMeta: name or generateName, namespace for the kind's scope, labels, annotations, owner
// references, finalizers.
//
// PURE. The registry turns a non-empty list into one 422 Invalid (store/errors.ts `invalid`).
import type { FieldError, Mutable, NameRule } from './types.js';

export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value, detail: '' });
export const tooLong = (field: string, detail: string): FieldError => ({ type: 'FieldValueTooLong', field, detail });
export const notSupported = (field: string, value: unknown, values: readonly string[]): FieldError =>
  ({ type: 'FieldValueNotSupported', field, value, detail: `supported values: ${values.map((v) => `"${v}"`).join(', ')}` });

const SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QNAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;

export const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const QNAME_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** The messages IsDNS1123Subdomain / IsDNS1123Label give for `v` (empty when valid). */
export function dnsNameProblems(v: string, rule: NameRule): string[] {
  const [max, re, msg] = rule === 'subdomain' ? [253, SUBDOMAIN_RE, SUBDOMAIN_MSG] : [63, LABEL_RE, LABEL_MSG];
  const out: string[] = [];
  if (v.length > max) out.push(`must be no more than ${max} characters`);
  if (!re.test(v)) out.push(msg);
  return out;
}

export const nameErrors = (field: string, v: string, rule: NameRule): FieldError[] =>
  dnsNameProblems(v, rule).map((m) => invalidValue(field, v, m));

/** IsQualifiedName: `[prefix/]name` of label keys, annotation keys and finalizers. */
export function qualifiedNameProblems(k: string): string[] {
  const parts = k.split('/');
  if (parts.length > 2) return [`a qualified name ${QNAME_MSG.replace(/^name part /, '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  const out: string[] = [];
  if (prefix !== undefined) {
    if (prefix === '') out.push('prefix part must be non-empty');
    else out.push(...dnsNameProblems(prefix, 'subdomain').map((m) => `prefix part ${m}`));
  }
  if (name === '') out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name !== '' && !QNAME_RE.test(name)) out.push(QNAME_MSG);
  return out;
}

export function labelValueProblems(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (v !== '' && !QNAME_RE.test(v)) out.push(LABEL_VALUE_MSG);
  return out;
}

/** IsConfigMapKey (ConfigMap and Secret data keys). */
export function configKeyProblems(k: string): string[] {
  const out: string[] = [];
  if (k.length > 253) out.push('must be no more than 253 characters');
  if (!CONFIG_KEY_RE.test(k)) out.push(CONFIG_KEY_MSG);
  if (k === '.') out.push("must not be '.'");
  else if (k === '..') out.push("must not be '..'");
  else if (k.startsWith('..')) out.push("must not start with '..'");
  return out;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);
const TOTAL_ANNOTATION_BYTES = 256 * 1024;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ValidateObjectMeta for a kind of the given scope and name rule. */
export function validateObjectMeta(obj: Mutable, namespaced: boolean, rule: NameRule): FieldError[] {
  const m = obj.metadata;
  const errs: FieldError[] = [];
  if (m.name) errs.push(...nameErrors('metadata.name', m.name, rule));
  else if (m.generateName) errs.push(...dnsNameProblems(m.generateName.replace(/-$/, '') || 'a', rule).map((p) => invalidValue('metadata.generateName', m.generateName, p)));
  else errs.push(required('metadata.name', 'name or generateName is required'));
  if (namespaced && !m.namespace) errs.push(required('metadata.namespace'));
  if (!namespaced && m.namespace) errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  if (namespaced && m.namespace) errs.push(...nameErrors('metadata.namespace', m.namespace, 'label'));
  for (const [k, v] of Object.entries(isMap(m.labels) ? m.labels : {})) {
    errs.push(...qualifiedNameProblems(k).map((p) => invalidValue('metadata.labels', k, p)));
    errs.push(...labelValueProblems(String(v)).map((p) => invalidValue('metadata.labels', v, p)));
  }
  let size = 0;
  for (const [k, v] of Object.entries(isMap(m.annotations) ? m.annotations : {})) {
    errs.push(...qualifiedNameProblems(k.toLowerCase()).map((p) => invalidValue('metadata.annotations', k, p)));
    size += k.length + String(v).length;
  }
  if (size > TOTAL_ANNOTATION_BYTES) errs.push(tooLong('metadata.annotations', `must have at most ${TOTAL_ANNOTATION_BYTES} bytes`));
  for (const ref of m.ownerReferences ?? []) {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      const word = f === 'apiVersion' ? 'version' : f;
      if (!ref[f]) errs.push(invalidValue(`metadata.ownerReferences.${f}`, ref[f] ?? '', `${word} must not be empty`));
    }
  }
  if ((m.ownerReferences ?? []).filter((r) => r.controller === true).length > 1) {
    errs.push(invalidValue('metadata.ownerReferences', m.ownerReferences?.map((r) => r.name), 'Only one reference can have Controller set to true'));
  }
  for (const [i, f] of (m.finalizers ?? []).entries()) {
    const field = `metadata.finalizers[${i}]`;
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) errs.push(invalidValue(field, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    else errs.push(...qualifiedNameProblems(f).map((p) => invalidValue(field, f, p)));
  }
  return errs;
}

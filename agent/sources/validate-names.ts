// agent/sources/validate-names.ts — the name rules of pod validation: DNS-1123 subdomains and labels (with a
// suggested fix), port names, qualified names of labels and annotations, label values, and metadata as a
// whole. Messages are apimachinery's validation texts. PURE; used by validate.ts.
import { isObj, show, type Errs, type FieldError } from './validate-util.js';

const absent = (v: unknown): boolean => v === undefined || v === null || v === '';
const invalid = (v: unknown, detail: string): string => (typeof v === 'string' ? `Invalid value: ${show(v)}: ${detail}` : detail);

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_MSG = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
const LABEL_MSG = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
const QNAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QNAME_MSG = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`;
const LABEL_VALUE_MSG = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;

/** `; try "<name>"` with a valid DNS name close to `s` (lower case, other characters turned into '-'), if any. */
function suggestName(s: string, max: number, re: RegExp): string {
  const fixed = s.toLowerCase().replace(re === SUBDOMAIN ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-').slice(0, max).replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return fixed !== s && re.test(fixed) ? `; try ${show(fixed)}` : '';
}
/** Name checks: a DNS-1123 subdomain (≤253) or label (≤63), with a suggested fix. */
export function dnsNameErrors(field: string, v: string, kind: 'subdomain' | 'label'): FieldError[] {
  const [max, re, msg] = kind === 'subdomain' ? [253, SUBDOMAIN, SUBDOMAIN_MSG] : [63, LABEL, LABEL_MSG];
  const out: FieldError[] = [];
  if (v.length > max) out.push({ field, message: invalid(v, `must be no more than ${max} characters`) });
  if (!re.test(v)) out.push({ field, message: invalid(v, msg) + suggestName(v, max, re) });
  return out;
}
export function portNameErrors(v: string): string[] {
  const out: string[] = [];
  if (v.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(v)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(v)) out.push(`must contain at least one letter (a-z)${/^\d+$/.test(v) ? '; for a port number remove the quotes' : ''}`);
  if (v.includes('--')) out.push('must not contain consecutive hyphens');
  if (v.startsWith('-') || v.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}
function qualifiedNameErrors(k: string): string[] {
  const slash = k.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [k.slice(0, slash), k.slice(slash + 1)] : ['', k];
  const out: string[] = [];
  if (slash >= 0 && (!prefix || prefix.length > 253 || !SUBDOMAIN.test(prefix))) out.push(`prefix part ${SUBDOMAIN_MSG}`);
  if (!name || name.length > 63) out.push(name ? 'name part must be no more than 63 characters' : 'name part must be non-empty');
  else if (!QNAME.test(name)) out.push(QNAME_MSG);
  return out;
}

export function validateMeta(m: unknown, errs: Errs): void {
  if (!isObj(m)) { if (m == null) errs.push({ field: 'metadata.name', message: 'Required value: name is required' }); return; }
  const name = m.name;
  if (absent(name)) errs.push({ field: 'metadata.name', message: `Required value: name is required${m.generateName ? ' (generateName is not supported here)' : ''}` });
  else if (typeof name === 'string') errs.push(...dnsNameErrors('metadata.name', name, 'subdomain'));
  if (typeof m.namespace === 'string' && m.namespace) errs.push(...dnsNameErrors('metadata.namespace', m.namespace, 'label'));
  for (const [k, v] of Object.entries(isObj(m.labels) ? m.labels : {})) {
    for (const msg of qualifiedNameErrors(k)) errs.push({ field: 'metadata.labels', message: invalid(k, msg) });
    if (typeof v === 'string' && (v.length > 63 || (v !== '' && !QNAME.test(v)))) errs.push({ field: 'metadata.labels', message: invalid(v, v.length > 63 ? 'must be no more than 63 characters' : LABEL_VALUE_MSG) });
  }
  let size = 0;
  for (const [k, v] of Object.entries(isObj(m.annotations) ? m.annotations : {})) {
    for (const msg of qualifiedNameErrors(k.toLowerCase())) errs.push({ field: 'metadata.annotations', message: invalid(k, msg) });
    size += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (size > 262144) errs.push({ field: 'metadata.annotations', message: `Too long: may not be more than 262144 bytes` });
}

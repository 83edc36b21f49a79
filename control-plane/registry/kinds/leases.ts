// control-plane/registry/kinds/leases.ts — Lease (coordination.k8s.io/v1): what the kubelet renews every few
// seconds in kube-node-lease (and leader election elsewhere); durations must be positive, transitions not
// negative; printed as NAME HOLDER AGE.
import { isObj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef } from '../types.js';
import { invalidValue } from '../validation.js';

interface LeaseSpec { holderIdentity?: string; leaseDurationSeconds?: number; leaseTransitions?: number }
const specOf = (o: unknown): LeaseSpec => {
  const s = (o as { spec?: unknown }).spec;
  return isObj(s) ? (s as LeaseSpec) : {};
};

export const leases: KindDef = {
  group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', singular: 'lease', namespaced: true,
  description: 'Lease defines a lease concept.',
  fields: { spec: 'spec contains the specification of the Lease.' },
  validate(o) {
    const s = specOf(o);
    const errs: FieldError[] = [];
    if (s.leaseDurationSeconds !== undefined && s.leaseDurationSeconds <= 0) errs.push(invalidValue('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
    if (s.leaseTransitions !== undefined && s.leaseTransitions < 0) errs.push(invalidValue('spec.leaseTransitions', s.leaseTransitions, 'must be greater than or equal to 0'));
    return errs;
  },
  table: {
    columns: [NAME_COLUMN, col('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), AGE_COLUMN],
    cells: (o, now) => [nameOf(o), specOf(o).holderIdentity ?? '', ageOf(o, now)],
  },
};

// control-plane/registry/kinds/controllerrevisions.ts — ControllerRevision (apps/v1): an immutable snapshot of
// a DaemonSet's or StatefulSet's template (`data`, any JSON) with its `revision` number; the controllers own
// them (ownerReferences) and `kubectl rollout history|undo` reads them. Validation as upstream's
// ValidateControllerRevision (data required, revision ≥ 0; data immutable on update); printed as
// NAME CONTROLLER REVISION AGE, CONTROLLER `<kind>.<group>/<name>` of the controlling owner or `<none>`.
import { deepEqual } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, KubeObject } from '../types.js';
import { invalidValue, required } from '../validation.js';

/** formatResourceName(GroupKind, name, withKind): `daemonset.apps/web`. */
function controllerCell(o: KubeObject): string {
  const ref = o.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

function validate(o: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (o['data'] === undefined || o['data'] === null) errs.push(required('data', 'data is mandatory'));
  const rev = o['revision'];
  if (typeof rev === 'number' && rev < 0) errs.push(invalidValue('revision', rev, 'must be greater than or equal to 0'));
  else if (rev !== undefined && typeof rev !== 'number') errs.push(invalidValue('revision', rev, 'must be an integer'));
  return errs;
}

export const controllerRevisions: KindDef = {
  group: 'apps', version: 'v1', kind: 'ControllerRevision', resource: 'controllerrevisions', singular: 'controllerrevision', namespaced: true,
  description: 'ControllerRevision implements an immutable snapshot of state data. Clients are responsible for serializing and deserializing the objects that contain their internal state. Once a ControllerRevision has been successfully created, it can not be updated. The API Server will fail validation of all requests that attempt to mutate the Data field. ControllerRevisions may, however, be deleted. Note that, due to its use by both the DaemonSet and StatefulSet controllers for update and rollback, this object is beta. However, it may be subject to name and representation changes in future releases, and clients should not depend on its stability. It is primarily for internal use by controllers.',
  fields: {
    data: 'Data is the serialized representation of the state.',
    revision: { type: 'integer', description: 'Revision indicates the revision of the state represented by Data.' },
  },
  defaults(o) { if (o['revision'] === undefined || o['revision'] === null) o['revision'] = 0; },
  validate,
  validateUpdate: (o, old) => (deepEqual(o['data'], old['data']) ? [] : [invalidValue('data', o['data'] ?? null, 'field is immutable')]),
  table: {
    columns: [
      NAME_COLUMN,
      col('Controller', 'Controller of the object'),
      col('Revision', 'Revision of the ControllerRevision', { type: 'integer' }),
      AGE_COLUMN,
    ],
    cells: (o, now) => [nameOf(o), controllerCell(o), Number((o as { revision?: unknown }).revision ?? 0), ageOf(o, now)],
  },
};

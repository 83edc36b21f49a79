// agent/api-server/discovery.ts — what kubectl asks before it acts: /version (whose `minor` makes the
// kubectl dispatcher run a v1.33 client, which speaks WebSocket exec/attach), legacy discovery (/api, /apis,
// /api/v1 with short names) and the OpenAPI documents that `create`/`apply` validation downloads.
//
// Called through the routes registered by index.ts. Static documents only: nothing here reads the agent.
// The OpenAPI v3 document is deliberately tiny: a PATCH operation tagged with the Pod kind that lists the
// `fieldValidation` parameter tells kubectl the server validates fields itself (kubectl-wire.md §4); the
// v2 answer is an empty protobuf document (no schemas: kubectl skips client-side validation).
import { sendText } from '../server/server.js';
import { sendJSON } from './request.js';
import { KUBELET_VERSION } from './nodes.js';
import type { RouteDef } from './types.js';

const OPENAPI_HASH = '6D696E692D6B75626C6574';

const resource = (name: string, kind: string, verbs: string[], namespaced = true, shortNames?: string[], singularName = '') => ({
  name, singularName, namespaced, kind, verbs, ...(shortNames ? { shortNames } : {}),
});

export const API_RESOURCES = {
  kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1',
  resources: [
    { ...resource('pods', 'Pod', ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], true, ['po'], 'pod'), categories: ['all'] },
    resource('pods/attach', 'PodAttachOptions', ['create', 'get']),
    resource('pods/exec', 'PodExecOptions', ['create', 'get']),
    resource('pods/log', 'Pod', ['get']),
    resource('pods/status', 'Pod', ['get']),
    resource('configmaps', 'ConfigMap', ['create', 'delete', 'get', 'list', 'patch', 'update'], true, ['cm'], 'configmap'),
    resource('secrets', 'Secret', ['create', 'delete', 'get', 'list', 'patch', 'update'], true, [], 'secret'),
    resource('events', 'Event', ['get', 'list', 'watch'], true, ['ev'], 'event'),
    resource('nodes', 'Node', ['get', 'list', 'watch'], false, ['no'], 'node'),
    resource('namespaces', 'Namespace', ['get', 'list'], false, ['ns'], 'namespace'),
  ],
};

export const VERSION_INFO = {
  major: '1', minor: '33', gitVersion: KUBELET_VERSION, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z', goVersion: `node${process.versions.node}`, compiler: 'node', platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

const OPENAPI_V3_ROOT = { paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${OPENAPI_HASH}` } } };

const str = { type: 'string' };
const gvkOf = (kind: string) => ({ group: '', version: 'v1', kind });
const writeParams = [
  { name: 'fieldValidation', in: 'query', schema: str },
  { name: 'fieldManager', in: 'query', schema: str },
  { name: 'dryRun', in: 'query', schema: str },
];
/** POST on the collection and PATCH on an object, tagged with the kind: what kubectl's validation looks for. */
const writePaths = (resource: string, kind: string) => ({
  [`/api/v1/namespaces/{namespace}/${resource}/{name}`]: {
    patch: { 'x-kubernetes-group-version-kind': gvkOf(kind), 'x-kubernetes-action': 'patch', parameters: writeParams, responses: {} },
  },
  [`/api/v1/namespaces/{namespace}/${resource}`]: {
    post: { 'x-kubernetes-group-version-kind': gvkOf(kind), 'x-kubernetes-action': 'post', parameters: [writeParams[0]], responses: {} },
  },
});
const common = {
  apiVersion: { ...str, description: 'APIVersion defines the versioned schema of this representation of an object.' },
  kind: { ...str, description: 'Kind is a string value representing the REST resource this object represents.' },
  metadata: { type: 'object', description: "Standard object's metadata." },
};
const schema = (kind: string, description: string, properties: Record<string, object>) => ({
  type: 'object', description, 'x-kubernetes-group-version-kind': [gvkOf(kind)], properties: { ...common, ...properties },
});
const OPENAPI_V3_CORE = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes (mini-kubelet)', version: KUBELET_VERSION },
  paths: { ...writePaths('pods', 'Pod'), ...writePaths('configmaps', 'ConfigMap'), ...writePaths('secrets', 'Secret') },
  components: {
    schemas: {
      'io.k8s.api.core.v1.Pod': schema('Pod', 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.', {
        spec: { type: 'object', description: 'Specification of the desired behavior of the pod.' },
        status: { type: 'object', description: 'Most recently observed status of the pod. Read-only.' },
      }),
      'io.k8s.api.core.v1.ConfigMap': schema('ConfigMap', 'ConfigMap holds configuration data for pods to consume.', {
        data: { type: 'object', additionalProperties: str, description: 'Data contains the configuration data.' },
        binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description: 'BinaryData contains the binary data.' },
        immutable: { type: 'boolean', description: 'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated.' },
      }),
      'io.k8s.api.core.v1.Secret': schema('Secret', 'Secret holds secret data of a certain type.', {
        data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description: 'Data contains the secret data, base64 encoded.' },
        stringData: { type: 'object', additionalProperties: str, description: 'stringData allows specifying non-binary secret data in string form.' },
        type: { ...str, description: 'Used to facilitate programmatic handling of secret data.' },
        immutable: { type: 'boolean', description: 'Immutable, if set to true, ensures that data stored in the Secret cannot be updated.' },
      }),
    },
  },
};

export function discoveryRoutes(): RouteDef[] {
  return [
    { method: 'GET', path: '/version', handler: (_req, res) => sendJSON(res, 200, VERSION_INFO) },
    { method: 'GET', path: '/api', handler: (_req, res) => sendJSON(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }) },
    { method: 'GET', path: '/apis', handler: (_req, res) => sendJSON(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] }) },
    { method: 'GET', path: '/api/v1', handler: (_req, res) => sendJSON(res, 200, API_RESOURCES) },
    { method: 'GET', path: '/openapi/v2', handler: (_req, res) => sendText(res, 200, '', 'application/octet-stream') },
    { method: 'GET', path: '/openapi/v3', handler: (_req, res) => sendJSON(res, 200, OPENAPI_V3_ROOT) },
    { method: 'GET', path: '/openapi/v3/api/v1', handler: (_req, res) => sendJSON(res, 200, OPENAPI_V3_CORE) },
  ];
}

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

const gvk = { group: '', version: 'v1', kind: 'Pod' };
const str = { type: 'string' };
const OPENAPI_V3_CORE = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes (mini-kubelet)', version: KUBELET_VERSION },
  paths: {
    '/api/v1/namespaces/{namespace}/pods/{name}': {
      patch: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'patch',
        parameters: [
          { name: 'fieldValidation', in: 'query', schema: str },
          { name: 'fieldManager', in: 'query', schema: str },
          { name: 'dryRun', in: 'query', schema: str },
        ],
        responses: {},
      },
    },
    '/api/v1/namespaces/{namespace}/pods': {
      post: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'post',
        parameters: [{ name: 'fieldValidation', in: 'query', schema: str }],
        responses: {},
      },
    },
  },
  components: {
    schemas: {
      'io.k8s.api.core.v1.Pod': {
        type: 'object',
        description: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
        'x-kubernetes-group-version-kind': [gvk],
        properties: {
          apiVersion: { ...str, description: 'APIVersion defines the versioned schema of this representation of an object.' },
          kind: { ...str, description: 'Kind is a string value representing the REST resource this object represents.' },
          metadata: { type: 'object', description: "Standard object's metadata." },
          spec: { type: 'object', description: 'Specification of the desired behavior of the pod.' },
          status: { type: 'object', description: 'Most recently observed status of the pod. Read-only.' },
        },
      },
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

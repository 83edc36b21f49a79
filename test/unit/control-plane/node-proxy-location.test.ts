// Unit tests of where a pod's streaming subresource goes (control-plane/apiserver/node-location.ts), PURE:
// the container chosen or refused with kube-apiserver's texts, the kubelet paths and queries for log, exec,
// attach and portforward, log option validation, a pod without a node, and the kubelet endpoint of a Node.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { containerFor, kubeletEndpoint, kubeletTarget, logQuery } from '../../../control-plane/apiserver/node-location.js';
import { thrown } from '../../helpers/unconditional.js';

const pod = (containers: string[], extra: { init?: string[]; ephemeral?: string[]; nodeName?: string } = {}): Pod => ({
  metadata: { name: 'web', namespace: 'team-a' },
  spec: {
    nodeName: extra.nodeName ?? 'n1',
    containers: containers.map((name) => ({ name, image: 'busybox' })),
    ...(extra.init ? { initContainers: extra.init.map((name) => ({ name, image: 'busybox' })) } : {}),
    ...(extra.ephemeral ? { ephemeralContainers: extra.ephemeral.map((name) => ({ name, image: 'busybox' })) } : {}),
  },
});
const url = (query: string): URL => new URL(`http://api/api/v1/namespaces/team-a/pods/web/x?${query}`);
const bad = (message: string) => ({ code: 400, reason: 'BadRequest', message });

describe('containerFor', () => {
  it('takes the named container (init and ephemeral ones too), or the only one', () => {
    const p = pod(['app', 'side'], { init: ['setup'], ephemeral: ['debugger'] });
    expect(['app', 'setup', 'debugger'].map((c) => containerFor(p, c))).toEqual(['app', 'setup', 'debugger']);
    expect(containerFor(pod(['only'], { init: ['setup'] }), null)).toBe('only');
  });

  it('refuses an unknown name, and no name when there are several (listing init, regular, ephemeral)', () => {
    expect(thrown(() => containerFor(pod(['app']), 'nope'))).toMatchObject(bad('container nope is not valid for pod web'));
    expect(thrown(() => containerFor(pod(['a', 'b'], { init: ['i'], ephemeral: ['e'] }), ''))).toMatchObject(bad('a container name must be specified for pod web, choose one of: [i a b e]'));
    expect(thrown(() => containerFor(pod([]), undefined))).toMatchObject(bad('a container name must be specified for pod web'));
  });
});

describe('kubeletTarget', () => {
  it('logs: /containerLogs with the log options as the kubelet reads them', () => {
    const q = 'container=app&follow=true&previous=1&timestamps=true&tailLines=10&limitBytes=500&sinceTime=2026-01-02T03:04:05.678%2B01:00&insecureSkipTLSVerifyBackend=true';
    expect(kubeletTarget('log', pod(['app', 'side']), url(q))).toEqual({
      nodeName: 'n1', path: '/containerLogs/team-a/web/app?follow=true&previous=true&timestamps=true&sinceTime=2026-01-02T02%3A04%3A05Z&tailLines=10&limitBytes=500',
    });
    expect(kubeletTarget('log', pod(['app']), url('follow=false&sinceSeconds=30'))).toEqual({ nodeName: 'n1', path: '/containerLogs/team-a/web/app?sinceSeconds=30' });
  });

  it('exec and attach: stdin/stdout/stderr/tty as the kubelet\'s input/output/error/tty=1, exec\'s command words in order', () => {
    const q = 'command=sh&command=-c&command=echo+a+%26+b&container=app&stdin=true&stdout=true&stderr=false&tty=true';
    expect(kubeletTarget('exec', pod(['app', 'b']), url(q))).toEqual({ nodeName: 'n1', path: '/exec/team-a/web/app?input=1&output=1&tty=1&command=sh&command=-c&command=echo+a+%26+b' });
    expect(kubeletTarget('attach', pod(['app']), url('stdout=true&stderr=true&command=ignored'))).toEqual({ nodeName: 'n1', path: '/attach/team-a/web/app?output=1&error=1' });
  });

  it('portforward: no container check; the requested ports as one `port` value', () => {
    expect(kubeletTarget('portforward', pod(['a', 'b']), url('ports=8080&ports=9090,53'))).toEqual({ nodeName: 'n1', path: '/portForward/team-a/web?port=8080%2C9090%2C53' });
    expect(kubeletTarget('portforward', pod(['a']), url(''))).toEqual({ nodeName: 'n1', path: '/portForward/team-a/web' });
    expect(thrown(() => kubeletTarget('portforward', pod(['a']), url('ports=http')))).toMatchObject({ code: 400 });
  });

  it('a pod without a node: an empty log, a 400 for the others (after the container check)', () => {
    const unbound = pod(['app'], { nodeName: '' });
    expect(kubeletTarget('log', unbound, url(''))).toBeUndefined();
    for (const kind of ['exec', 'attach', 'portforward'] as const) expect(thrown(() => kubeletTarget(kind, unbound, url('command=ls')))).toMatchObject(bad('pod web does not have a host assigned'));
    expect(thrown(() => kubeletTarget('exec', pod(['a', 'b'], { nodeName: '' }), url('')))).toMatchObject(bad('a container name must be specified for pod web, choose one of: [a b]'));
  });
});

describe('logQuery validation', () => {
  it('422 PodLogOptions with upstream field errors; non-numbers and bad times are 400', () => {
    expect(thrown(() => logQuery(url('tailLines=-1&limitBytes=0'), 'web'))).toMatchObject({
      code: 422, reason: 'Invalid',
      message: 'PodLogOptions "web" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]',
    });
    expect(thrown(() => logQuery(url('sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z'), 'web'))).toMatchObject({ code: 422, message: 'PodLogOptions "web" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' });
    expect(thrown(() => logQuery(url('sinceSeconds=0'), 'web'))).toMatchObject({ code: 422, message: 'PodLogOptions "web" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0' });
    expect(thrown(() => logQuery(url('tailLines=ten'), 'web'))).toMatchObject({ code: 400 });
    expect(thrown(() => logQuery(url('sinceTime=yesterday'), 'web'))).toMatchObject({ code: 400 });
  });
});

describe('kubeletEndpoint', () => {
  const node = (addresses: Array<{ type: string; address: string }>, port?: number): Node =>
    ({ metadata: { name: 'n1' }, status: { addresses, ...(port === undefined ? {} : { daemonEndpoints: { kubeletEndpoint: { Port: port } } }) } });

  it('prefers InternalIP, then Hostname, then ExternalIP; the port from daemonEndpoints', () => {
    const all = [{ type: 'ExternalIP', address: '203.0.113.9' }, { type: 'Hostname', address: 'box' }, { type: 'InternalIP', address: '10.0.0.4' }];
    expect(kubeletEndpoint('n1', node(all, 10250))).toEqual({ host: '10.0.0.4', port: 10250 });
    expect(kubeletEndpoint('n1', node(all.slice(0, 2), 10250))).toEqual({ host: 'box', port: 10250 });
    expect(kubeletEndpoint('n1', node(all.slice(0, 1), 10250))).toEqual({ host: '203.0.113.9', port: 10250 });
  });

  it('503 naming the node: no Node, no address, no port', () => {
    const unavailable = (why: string) => ({ code: 503, reason: 'ServiceUnavailable', message: expect.stringMatching(new RegExp(`^cannot reach the kubelet of node "n1": .*${why}`)) });
    expect(thrown(() => kubeletEndpoint('n1', undefined))).toMatchObject(unavailable('Node object does not exist'));
    expect(thrown(() => kubeletEndpoint('n1', node([{ type: 'InternalDNS', address: 'x' }], 10250)))).toMatchObject(unavailable('status.addresses'));
    expect(thrown(() => kubeletEndpoint('n1', node([{ type: 'InternalIP', address: '10.0.0.4' }])))).toMatchObject(unavailable('kubeletEndpoint.Port'));
  });
});

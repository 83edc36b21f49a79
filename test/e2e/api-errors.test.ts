// test/e2e/api-errors.test.ts — the write rule (an agent not on loopback refuses writes without the bearer
// token, and kubectl, which never sends credentials over plain HTTP, prints the 401) and hostile requests
// answered with the API server's Status objects instead of a hang or a crash.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../agent/api/v1.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';

const web: Pod = { metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };

describe('the write rule and hostile requests', () => {
  let f: ApiFixture;
  let tokenFile: string;
  beforeAll(async () => {
    tokenFile = join(mkdtempSync(join(tmpdir(), 'mk-token-')), 'token');
    writeFileSync(tokenFile, 's3cret\n');
    f = await startApiFixture({ address: '0.0.0.0', tokenFile });
    f.addPod(web);
  });
  afterAll(async () => { await f?.close(); });

  it('not on loopback: reads work, writes need the token (401 otherwise)', async () => {
    expect((await f.kubectl(['get', 'pods'])).exitCode).toBe(0);
    const refused = await f.kubectl(['run', 'x', '--image=busybox']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('error: You must be logged in to the server (Unauthorized: this agent listens on 0.0.0.0, not on loopback');
    const exec = await f.kubectl(['exec', 'web', '--', 'true']);
    expect(exec.exitCode).toBe(1);
    // kubectl never sends credentials over plain HTTP (client-go sets them for TLS only): the token is for
    // other clients. With it a raw request may write; a wrong one is refused.
    const create = (token: string) => fetch(`${f.url}/api/v1/namespaces/default/pods`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'x', image: 'busybox' }] } }),
    });
    expect((await create('nope')).status).toBe(401);
    expect((await create(readFileSync(tokenFile, 'utf8').trim())).status).toBe(201);
    expect((await f.kubectl(['get', 'pod', 'x', '-o', 'name'])).stdout).toBe('pod/x\n');
  });

  it('answers like the API server: 404/405/400/413/415 Status objects', async () => {
    const req = async (method: string, path: string, body?: string, type = 'application/json') => {
      const r = await fetch(`${f.url}${path}`, { method, body, headers: { 'content-type': type, authorization: 'Bearer s3cret' } });
      return { code: r.status, body: (await r.json()) as { kind: string; reason: string; message: string } };
    };
    expect(await req('GET', '/apis/apps/v1/deployments')).toMatchObject({ code: 404, body: { kind: 'Status', reason: 'NotFound' } });
    expect(await req('PUT', '/api/v1/pods')).toMatchObject({ code: 405, body: { reason: 'MethodNotAllowed' } });
    expect(await req('POST', '/api/v1/namespaces/default/pods', '{"kind":')).toMatchObject({ code: 400, body: { reason: 'BadRequest' } });
    expect(await req('POST', '/api/v1/namespaces/default/pods', '[1]')).toMatchObject({ code: 400 });
    expect(await req('POST', '/api/v1/namespaces/default/pods', 'x'.repeat(4 << 20))).toMatchObject({ code: 413, body: { reason: 'RequestEntityTooLarge' } });
    expect(await req('PATCH', '/api/v1/namespaces/default/pods/web', '{}', 'text/plain')).toMatchObject({ code: 415 });
    expect(await req('POST', '/api/v1/namespaces/default/pods', '{"apiVersion":"apps/v1","kind":"Deployment"}')).toMatchObject({ code: 400 });
    expect(await req('GET', '/api/v1/namespaces/Bad_NS/pods')).toMatchObject({ code: 404 });
    expect(await req('GET', '/api/v1/pods?labelSelector=%3D%3D%3D')).toMatchObject({ code: 400 });
    expect(await req('GET', '/api/v1/namespaces/default/pods/web/exec?command=ls')).toMatchObject({ code: 400, body: { message: 'Upgrade request required' } });
    expect(await req('GET', '/api/v1/pods?watch=true&resourceVersion=999999')).toMatchObject({ code: 410, body: { reason: 'Expired' } });
    expect((await fetch(`${f.url}/version`)).status).toBe(200);
  });
});

// Unit tests of client/kubeconfig.ts: current-context and named contexts, token and tokenFile (relative to
// the kubeconfig's folder), CA and client certificate as -data and as files, insecure-skip-tls-verify, the
// errors that name the file and the missing entry, and clientFromKubeconfig against the embedded API server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { clientFromKubeconfig, CONFIGMAPS, loadKubeconfig } from '../../../client/index.js';
import { startPlane } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mk-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

let files = 0;
/** Writes a kubeconfig (an object, or YAML text) in its own folder under `dir`; returns its path. */
function write(doc: object | string, name = 'config'): string {
  const folder = join(dir, `k${++files}`);
  mkdirSync(join(folder, 'secrets'), { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, typeof doc === 'string' ? doc : stringify(doc));
  return path;
}

const base = {
  apiVersion: 'v1', kind: 'Config', 'current-context': 'main',
  clusters: [
    { name: 'c1', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64(CA) } },
    { name: 'c2', cluster: { server: 'https://10.0.0.2:6443', 'certificate-authority': 'secrets/ca.crt', 'insecure-skip-tls-verify': true } },
    { name: 'c3', cluster: { 'certificate-authority-data': b64(CA) } },
  ],
  users: [
    { name: 'u1', user: { token: 'tok-1' } },
    { name: 'u2', user: { tokenFile: 'secrets/token' } },
    { name: 'u3', user: { 'client-certificate-data': b64('CERT'), 'client-key': 'secrets/key.pem' } },
    { name: 'u4', user: { exec: { command: 'aws' } } },
  ],
  contexts: [
    { name: 'main', context: { cluster: 'c1', user: 'u1' } },
    { name: 'file-token', context: { cluster: 'c2', user: 'u2' } },
    { name: 'certs', context: { cluster: 'c1', user: 'u3' } },
    { name: 'anonymous', context: { cluster: 'c1' } },
    { name: 'no-server', context: { cluster: 'c3', user: 'u1' } },
    { name: 'lost-cluster', context: { cluster: 'nowhere', user: 'u1' } },
    { name: 'lost-user', context: { cluster: 'c1', user: 'nobody' } },
    { name: 'exec', context: { cluster: 'c1', user: 'u4' } },
  ],
};

describe('loadKubeconfig', () => {
  it('current-context: server, CA data decoded to PEM, token', () => {
    expect(loadKubeconfig(write(base))).toEqual({ server: 'https://10.0.0.1:6443', ca: CA, token: 'tok-1' });
  });

  it('a named context: tokenFile and certificate-authority relative to the kubeconfig, insecure-skip-tls-verify', () => {
    const path = write(base);
    writeFileSync(join(path, '..', 'secrets', 'token'), 'tok-from-file\n');
    writeFileSync(join(path, '..', 'secrets', 'ca.crt'), CA);
    expect(loadKubeconfig(path, 'file-token')).toEqual({ server: 'https://10.0.0.2:6443', ca: CA, insecureSkipTLSVerify: true, token: 'tok-from-file' });
  });

  it('client certificate as data and key as a file; a context without a user has no credentials', () => {
    const path = write(base);
    writeFileSync(join(path, '..', 'secrets', 'key.pem'), 'KEY');
    expect(loadKubeconfig(path, 'certs')).toEqual({ server: 'https://10.0.0.1:6443', ca: CA, cert: 'CERT', key: 'KEY' });
    expect(loadKubeconfig(path, 'anonymous')).toEqual({ server: 'https://10.0.0.1:6443', ca: CA });
  });

  it('errors name the file and the missing entry', () => {
    const path = write(base);
    expect(() => loadKubeconfig(path, 'x')).toThrow(`context "x" not found in ${path}`);
    expect(() => loadKubeconfig(path, 'lost-cluster')).toThrow(`cluster "nowhere" (of context "lost-cluster") not found in ${path}`);
    expect(() => loadKubeconfig(path, 'lost-user')).toThrow(`user "nobody" (of context "lost-user") not found in ${path}`);
    expect(() => loadKubeconfig(path, 'no-server')).toThrow(`cluster "c3" in ${path} has no server`);
    expect(() => loadKubeconfig(path, 'file-token')).toThrow(`cannot read the certificate authority ${join(path, '..', 'secrets', 'ca.crt')} named in ${path}`);
    writeFileSync(join(path, '..', 'secrets', 'ca.crt'), CA);
    expect(() => loadKubeconfig(path, 'file-token')).toThrow(`cannot read the tokenFile ${join(path, '..', 'secrets', 'token')} named in ${path}`);
    expect(() => loadKubeconfig(path, 'exec')).toThrow(`user "u4" in ${path} uses exec, which mini-kubelet does not support`);
    const noCurrent = write({ ...base, 'current-context': undefined });
    expect(() => loadKubeconfig(noCurrent)).toThrow(`no context given and no current-context in ${noCurrent}`);
    expect(() => loadKubeconfig(join(dir, 'missing'))).toThrow(`cannot read the kubeconfig ${join(dir, 'missing')}`);
    const notYaml = write('clusters: [oops\n');
    expect(() => loadKubeconfig(notYaml)).toThrow(`the kubeconfig ${notYaml} is not valid YAML`);
  });
});

describe('clientFromKubeconfig', () => {
  it('makes a client that reaches the server of the context', async () => {
    const plane = await startPlane();
    const path = write({ ...base, clusters: [{ name: 'c1', cluster: { server: plane.api.url } }], contexts: [{ name: 'main', context: { cluster: 'c1', user: 'u1' } }] });
    const client = clientFromKubeconfig(path, undefined, { userAgent: 'kubeconfig-test/1' });
    try {
      expect(client.server).toBe(plane.api.url);
      expect((await client.list(CONFIGMAPS, { namespace: 'default' })).items).toEqual([]);
    } finally {
      await client.close();
      await plane.close();
    }
  });
});

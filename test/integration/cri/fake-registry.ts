// A tiny Docker registry (HTTP, 127.0.0.1 only; Docker treats 127.0.0.0/8 as insecure) for pull tests:
// serves one repository built from a local image via `docker save`, answers 404 for everything else, and
// 401 for repositories under `private/`. No traffic leaves the machine.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  close(): Promise<void>;
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Serves `image` (a local image) as `<host>/<repo>:<tag>`. */
export async function startFakeRegistry(image: string, repo: string, tag: string): Promise<FakeRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'mk-registry-'));
  execFileSync('docker', ['save', image, '-o', join(dir, 'image.tar')], { timeout: 60_000 });
  execFileSync('tar', ['-xf', join(dir, 'image.tar'), '-C', dir], { timeout: 60_000 });
  const saved = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Config: string; Layers: string[] }[])[0]!;
  const blobs = new Map<string, Buffer>();
  const config = readFileSync(join(dir, saved.Config));
  blobs.set(sha(config), config);
  const layers = saved.Layers.map((l) => {
    const data = readFileSync(join(dir, l));
    blobs.set(sha(data), data);
    // Uncompressed layers under the gzip media type: Docker detects the compression itself.
    return { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: data.length, digest: sha(data) };
  });
  rmSync(dir, { recursive: true, force: true });
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha(config) },
    layers,
  }));

  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const send = (status: number, body: Buffer | string, type = 'application/json', extra: Record<string, string> = {}) => {
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, 'Docker-Distribution-API-Version': 'registry/2.0', ...extra });
      res.end(req.method === 'HEAD' ? undefined : buf);
    };
    if (url.startsWith('/v2/private/')) {
      return send(401, JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }), 'application/json', { 'WWW-Authenticate': 'Basic realm="fake"' });
    }
    if (url === '/v2/' || url === '/v2') return send(200, '{}');
    if (url === `/v2/${repo}/manifests/${tag}` || url === `/v2/${repo}/manifests/${sha(manifest)}`) {
      return send(200, manifest, 'application/vnd.docker.distribution.manifest.v2+json', { 'Docker-Content-Digest': sha(manifest) });
    }
    const blob = url.startsWith(`/v2/${repo}/blobs/`) ? blobs.get(url.slice(`/v2/${repo}/blobs/`.length)) : undefined;
    if (blob) return send(200, blob, 'application/octet-stream');
    send(404, JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

// test/helpers/local-registry.ts — a throwaway Docker registry (the v2 API's read side) on 127.0.0.1, serving
// the local busybox image, so tests can make the engine really pull: slowly (a pull in progress when the agent
// is killed), or failing. Docker treats registries on 127.0.0.0/8 as insecure (plain HTTP) by default.
//
// The image comes from `docker save` (manifest.json, the config and the uncompressed layer tars); each layer
// is gzipped and served under its digest with a schema-2 manifest. `slowBlobMs` spreads each layer's bytes
// over that long. Every request is counted, so a test can wait until the pull has reached the blobs.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';

interface Blob { readonly data: Buffer; readonly mediaType: string }

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Files of a (ustar) tar archive by name. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    off += 512;
    if (type === '0' || type === '\0') files.set(prefix ? `${prefix}/${name}` : name, tar.subarray(off, off + size));
    off += Math.ceil(size / 512) * 512;
  }
  return files;
}

export class LocalRegistry {
  readonly #blobs = new Map<string, Blob>();
  #manifest = Buffer.alloc(0);
  #server: Server | undefined;
  port = 0;
  /** Requests seen, by kind. */
  readonly hits = { manifests: 0, blobs: 0 };
  slowBlobMs = 0;

  /** Builds the served image from a local one (default busybox:latest). */
  constructor(sourceImage = 'busybox:latest') {
    const tar = execFileSync('docker', ['save', sourceImage], { maxBuffer: 256 * 1024 * 1024 });
    const files = untar(tar);
    const [entry] = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { Config: string; Layers: string[] }[];
    // A config of its own (a label with a random value): the engine must fetch it and the layers, instead of
    // finding the image it already has under another name.
    const cfg = JSON.parse(files.get(entry!.Config)!.toString('utf8')) as { config?: { Labels?: Record<string, string> | null } };
    cfg.config = { ...cfg.config, Labels: { ...(cfg.config?.Labels ?? {}), 'io.mini-kubelet.test-registry': randomBytes(8).toString('hex') } };
    const config = Buffer.from(JSON.stringify(cfg));
    const configDigest = sha(config);
    this.#blobs.set(configDigest, { data: config, mediaType: 'application/vnd.docker.container.image.v1+json' });
    const layers = entry!.Layers.map((l) => {
      const gz = gzipSync(files.get(l)!);
      // A random gzip MTIME (bytes 4–7, outside the CRC): a blob digest the engine has never seen, so it must
      // download the layer rather than reuse one it fetched from an earlier registry.
      randomBytes(4).copy(gz, 4);
      const digest = sha(gz);
      this.#blobs.set(digest, { data: gz, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' });
      return { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: gz.length, digest };
    });
    this.#manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
      layers,
    }));
  }

  /** `127.0.0.1:<port>/<repo>:<tag>`: any repository and tag name the same image. */
  ref(repo: string, tag: string): string { return `127.0.0.1:${this.port}/${repo}:${tag}`; }

  async start(): Promise<void> {
    const manifestDigest = sha(this.#manifest);
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      const head = req.method === 'HEAD';
      if (path === '/v2/' || path === '/v2') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-API-Version': 'registry/2.0' });
        return res.end(head ? undefined : '{}');
      }
      const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path);
      if (!m) { res.writeHead(404); return res.end(); }
      if (m[2] === 'manifests') {
        this.hits.manifests++;
        res.writeHead(200, {
          'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json', 'Content-Length': this.#manifest.length,
          'Docker-Content-Digest': manifestDigest, 'Docker-Distribution-API-Version': 'registry/2.0',
        });
        return res.end(head ? undefined : this.#manifest);
      }
      const blob = this.#blobs.get(decodeURIComponent(m[3]!));
      if (!blob) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }));
      }
      this.hits.blobs++;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': blob.data.length, 'Docker-Content-Digest': m[3]! });
      if (head) return res.end();
      if (this.slowBlobMs <= 0 || blob.data.length < 4096) return res.end(blob.data);
      // Spread the bytes over slowBlobMs in 20 pieces; stop if the engine hangs up.
      const pieces = 20;
      const step = Math.ceil(blob.data.length / pieces);
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed) { clearInterval(timer); return; }
        const part = blob.data.subarray(i * step, (i + 1) * step);
        i++;
        if (i >= pieces || part.length === 0) { clearInterval(timer); res.end(part); } else res.write(part);
      }, Math.max(1, Math.floor(this.slowBlobMs / pieces)));
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

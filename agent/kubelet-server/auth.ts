// agent/kubelet-server/auth.ts — the write rule of the kubelet's port: requests that act on a container (exec,
// attach, port-forward) are allowed when the kubelet listens on a loopback address, or when they carry
// `Authorization: Bearer <token>` with the token from `--token-file` (the API server passes a client's token
// on when it forwards). Reads the token file once; reads (logs) are never refused here.
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address) || address === '::ffff:127.0.0.1';
}

export function writeRule(address: string, tokenFile: string | undefined, warn: (msg: string) => void): (req: IncomingMessage) => boolean {
  if (isLoopback(address)) return () => true;
  let token: Buffer | undefined;
  if (tokenFile) {
    try {
      const t = readFileSync(tokenFile, 'utf8').trim();
      if (t) token = Buffer.from(t);
      else warn(`the token file ${tokenFile} is empty; exec and attach need a loopback address`);
    } catch (err) {
      warn(`cannot read the token file ${tokenFile}: ${err instanceof Error ? err.message : String(err)}; exec and attach need a loopback address`);
    }
  }
  return (req) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!token || !m) return false;
    const given = Buffer.from(m[1]!);
    return given.length === token.length && timingSafeEqual(given, token);
  };
}

// control-plane/apiserver/auth.ts — who may change things: requests that write (POST, PUT, PATCH, DELETE)
// are allowed from a loopback peer, or with `Authorization: Bearer <token>` carrying the token from the
// server's token file; anything else is a 401 Status. Reads are open (the API holds no credentials of its
// own yet: Secrets are readable by whoever reaches the port — listen on loopback unless that is intended).
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../store/index.js';

export const isLoopback = (address: string | undefined): boolean =>
  address !== undefined && (address === '::1' || /^127\./.test(address) || /^::ffff:127\./.test(address) || address === 'localhost');

export class WriteGuard {
  private readonly token: Buffer | undefined;
  private readonly internal: Buffer[];

  /**
   * `tokenFile`: a file holding the bearer token (trimmed); unreadable or empty means loopback only.
   * `internalTokens`: tokens of the process's own clients (the embedded kubelet, when the server is not on loopback).
   */
  constructor(tokenFile?: string, internalTokens: readonly string[] = []) {
    const t = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : '';
    this.token = t ? Buffer.from(t) : undefined;
    this.internal = internalTokens.filter(Boolean).map((x) => Buffer.from(x));
  }

  allows(req: IncomingMessage): boolean {
    if (isLoopback(req.socket.remoteAddress)) return true;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const given = Buffer.from(m[1]!);
    return [...(this.token ? [this.token] : []), ...this.internal].some((t) => given.length === t.length && timingSafeEqual(given, t));
  }

  check(req: IncomingMessage): void {
    if (this.allows(req)) return;
    throw new StatusError(401, 'Unauthorized', this.token
      ? 'Unauthorized: writes from other hosts need the bearer token of the server\'s --token-file'
      : 'Unauthorized: writes are accepted from loopback only; start the server with --token-file to accept a bearer token');
  }
}

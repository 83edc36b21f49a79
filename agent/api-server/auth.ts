// agent/api-server/auth.ts — the write rule of the API subset: requests that change something (create,
// patch, delete, exec, attach) are allowed when the agent listens on a loopback address, or when they carry
// `Authorization: Bearer <token>` with the token from `--token-file`; otherwise 401 Unauthorized.
//
// Called by index.ts (routes marked `write`) and exec.ts (upgrades). Reads the token file once at start;
// reads are never refused here.
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './request.js';

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address) || address === '::ffff:127.0.0.1';
}

export class WriteGuard {
  readonly #open: boolean;
  readonly #token: Buffer | undefined;
  readonly #address: string;

  constructor(address: string, tokenFile: string | undefined, warn: (msg: string) => void = () => {}) {
    this.#address = address;
    this.#open = isLoopback(address);
    let token: string | undefined;
    if (tokenFile) {
      try {
        token = readFileSync(tokenFile, 'utf8').trim();
        if (!token) warn(`the token file ${tokenFile} is empty; API writes need a loopback address`);
      } catch (err) {
        warn(`cannot read the token file ${tokenFile}: ${err instanceof Error ? err.message : String(err)}; API writes need a loopback address`);
      }
    }
    this.#token = token ? Buffer.from(token) : undefined;
  }

  allows(req: IncomingMessage): boolean {
    if (this.#open) return true;
    if (!this.#token) return false;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const given = Buffer.from(m[1]!);
    return given.length === this.#token.length && timingSafeEqual(given, this.#token);
  }

  refusal(): ApiError {
    const how = this.#token ? 'send the bearer token from --token-file' : 'start the agent with --token-file and send that bearer token';
    return new ApiError(401, 'Unauthorized', `Unauthorized: this agent listens on ${this.#address}, not on loopback; to change anything ${how}`);
  }
}

// Unit tests of the write rule (control-plane/apiserver/auth.ts): loopback peers may write; others need the
// bearer token of --token-file, compared in full; refusals are 401 Status errors saying what to do.
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteGuard } from '../../../../control-plane/apiserver/auth.js';
import { thrown } from '../../../helpers/unconditional.js';

const req = (remoteAddress: string, authorization?: string): IncomingMessage =>
  ({ socket: { remoteAddress }, headers: authorization ? { authorization } : {} }) as unknown as IncomingMessage;

describe('WriteGuard', () => {
  it('loopback peers (IPv4, IPv6, mapped) write without a token', () => {
    const g = new WriteGuard();
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].map((a) => g.allows(req(a)))).toEqual([true, true, true, true]);
    expect(thrown(() => g.check(req('10.0.0.7')))).toMatchObject({ code: 401, reason: 'Unauthorized', message: expect.stringContaining('--token-file') });
  });

  it('other peers need the exact bearer token', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mk-token-')), 'token');
    writeFileSync(file, 's3cret-token\n');
    const g = new WriteGuard(file);
    expect([g.allows(req('10.0.0.7', 'Bearer s3cret-token')), g.allows(req('10.0.0.7', 'bearer s3cret-token'))]).toEqual([true, true]);
    expect([g.allows(req('10.0.0.7', 'Bearer s3cret')), g.allows(req('10.0.0.7', 'Basic s3cret-token')), g.allows(req('10.0.0.7'))]).toEqual([false, false, false]);
  });
});

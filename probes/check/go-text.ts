// probes/check/go-text.ts — the few Go formatting rules the kubelet's messages depend on.
//
// Owns: %q quoting, net.JoinHostPort, time.Duration printing, and Go's wording of dial/read errors, so
// probe outputs and hook errors read exactly as the kubelet's do. Called by the checks and hooks.
// Pure functions; never does I/O.

const ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"',
};

function isPrintable(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0x80 && cp <= 0x9f) return false;
  if (cp === 0xad || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return true;
}

/** Go's strconv.Quote (fmt %q) for a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = ESCAPES[ch];
    if (esc) { out += esc; continue; }
    const cp = ch.codePointAt(0)!;
    if (isPrintable(cp)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** net.JoinHostPort: IPv6 literals get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** time.Duration.String() for a whole number of seconds (`1s`, `1m30s`, `2h0m0s`). */
export function goSeconds(total: number): string {
  const s = Math.trunc(total);
  if (s < 60) return `${s}s`;
  const h = Math.trunc(s / 3600);
  const m = Math.trunc((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${m}m${sec}s` : `${m}m${sec}s`;
}

const SYSCALL_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'broken pipe',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

export function errnoCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Go's *net.OpError text for a failed TCP dial to addr (`dial tcp 10.1.0.5:8080: connect: connection refused`). */
export function dialErrorText(err: unknown, host: string, addr: string): string {
  const code = errnoCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_NODATA') return `dial tcp: lookup ${host}: no such host`;
  if (code === 'EAI_AGAIN') return `dial tcp: lookup ${host}: Temporary failure in name resolution`;
  if (code === 'ETIMEDOUT' && /timeout/i.test(String((err as Error)?.message))) return `dial tcp ${addr}: i/o timeout`;
  const text = code ? SYSCALL_TEXT[code] : undefined;
  if (text) return `dial tcp ${addr}: connect: ${text}`;
  return `dial tcp ${addr}: ${messageOf(err)}`;
}

/** Go's text for an error on an established connection (reads, writes, peer closing). */
export function connErrorText(err: unknown, local: string | undefined, addr: string): string {
  const code = errnoCode(err);
  const pair = local ? `${local}->${addr}` : addr;
  if (code === 'ECONNRESET') return `read tcp ${pair}: read: connection reset by peer`;
  if (code === 'EPIPE') return `write tcp ${pair}: write: broken pipe`;
  const raw = (err as { code?: unknown } | null)?.code;
  if (raw === 'UND_ERR_SOCKET' || /other side closed|socket hang up/i.test(messageOf(err))) return 'EOF';
  return messageOf(err);
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

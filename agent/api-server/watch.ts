// agent/api-server/watch.ts — one watch response: newline-delimited `{"type":…,"object":…}` events over a
// chunked HTTP response, as client-go reads them.
//
// Called by the pod, event and node watch handlers. Owns only the response: headers are flushed at once
// (client-go waits for them before it proceeds), `timeoutSeconds` ends the stream, a slow or gone client is
// dropped. It never decides which events to send.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR' | 'BOOKMARK';

export interface WatchStream {
  send(type: WatchEventType, object: unknown): void;
  /** Ends the stream (kubectl `get -w` then exits 0; informers re-watch). */
  end(): void;
  readonly closed: boolean;
  /** Called once when the stream ends for any reason. */
  onClose(fn: () => void): void;
}

/** Buffered bytes after which a client that does not read is dropped. */
const MAX_BUFFERED = 16 * 1024 * 1024;

export function openWatch(req: IncomingMessage, res: ServerResponse, url: URL): WatchStream {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  const closers: (() => void)[] = [];
  let closed = false;
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    for (const fn of closers.splice(0)) {
      try { fn(); } catch { /* a closer must not break the others */ }
    }
  };
  const secs = Number(url.searchParams.get('timeoutSeconds') ?? '');
  const timer = Number.isFinite(secs) && secs > 0 ? setTimeout(() => stream.end(), secs * 1000) : undefined;
  timer?.unref();
  req.once('close', finish);
  res.once('close', finish);
  const stream: WatchStream = {
    send(type, object) {
      if (closed) return;
      res.write(`${JSON.stringify({ type, object })}\n`);
      if (res.writableLength > MAX_BUFFERED) { res.destroy(); finish(); }
    },
    end() {
      if (!closed) res.end();
      finish();
    },
    get closed() { return closed; },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
  };
  return stream;
}

/** The Status of an ERROR event / 410 answer for a resourceVersion the server can no longer replay. */
export function expiredStatus(rv: string): object {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410,
    message: `too old resource version: ${rv}`,
  };
}

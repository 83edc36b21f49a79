// control-plane/apiserver/watch.ts — one watch response: the store's Watch as newline-delimited
// `{"type":…,"object":…}` events over a chunked response, as client-go reads them. Headers are flushed at
// once (client-go waits for them), `timeoutSeconds` ends the stream, a client that stops reading holds the
// store's watcher back until it overflows (the stream then ends and the client re-watches), and a client
// that goes away stops the watcher. A resourceVersion too old to replay is one ERROR event (410 Expired),
// as kube-apiserver answers it, after which the client relists.
import type { ServerResponse } from 'node:http';
import type { Status, Watch, WatchEvent } from '../store/index.js';

/** Encodes one event's object for the client (version conversion, Table rows); `first` for Table headers. */
export type EventEncoder = (ev: WatchEvent, first: boolean) => unknown;

const HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' };

function begin(res: ServerResponse): void {
  res.writeHead(200, HEADERS);
  res.flushHeaders();
  res.socket?.setNoDelay(true);
}

/** Resolves when the response can take more (or is gone). */
const writable = (res: ServerResponse): Promise<void> => new Promise((resolve) => {
  const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
  res.once('drain', done);
  res.once('close', done);
});

export async function streamWatch(res: ServerResponse, watch: Watch, encode: EventEncoder, timeoutSeconds?: number): Promise<void> {
  begin(res);
  const stop = () => watch.stop();
  const timer = timeoutSeconds && timeoutSeconds > 0 ? setTimeout(stop, timeoutSeconds * 1000) : undefined;
  timer?.unref();
  // The response's close covers a client that goes away (the request's own close only follows its body).
  res.once('close', stop);
  let first = true;
  try {
    for await (const ev of watch) {
      const line = `${JSON.stringify({ type: ev.type, object: encode(ev, first) })}\n`;
      first = false;
      if (res.destroyed) break;
      if (!res.write(line)) await writable(res);
    }
  } finally {
    clearTimeout(timer);
    watch.stop();
    res.off('close', stop);
    if (!res.writableEnded && !res.destroyed) res.end();
  }
}

/** A watch that cannot start because its resourceVersion is gone: 200 with one ERROR event. */
export function expiredWatch(res: ServerResponse, status: Status): void {
  begin(res);
  res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
}

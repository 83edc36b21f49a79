// client/watch-stream.ts — a watch response body as JSON values: kube-apiserver writes one JSON object per
// line over a chunked response, and a chunk may hold part of an object, several objects, or split a UTF-8
// character. Pure over any async iterable of bytes; client/http.ts feeds it the response body.
import { ApiError } from './errors.js';
import type { KubeObject, WatchEvent } from './types.js';

/** The JSON values of newline-delimited JSON `chunks`, one per non-blank line (a last line without "\n" too). */
export async function* jsonLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of chunks) {
    buf += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) yield parseLine(line);
      nl = buf.indexOf('\n');
    }
  }
  buf += decoder.decode();
  if (buf.trim()) yield parseLine(buf);
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: `the watch stream carried a line that is not JSON: ${line.slice(0, 200)}` });
  }
}

/** Checks that a decoded value is a watch event (`{type, object}`). */
export function asWatchEvent<T extends KubeObject>(v: unknown): WatchEvent<T> {
  const ev = v as { type?: unknown; object?: unknown } | null;
  if (!ev || typeof ev !== 'object' || typeof ev.type !== 'string' || !ev.object || typeof ev.object !== 'object') {
    throw new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: `the watch stream carried something that is not an event: ${JSON.stringify(v).slice(0, 200)}` });
  }
  return ev as WatchEvent<T>;
}

// agent/kubelet-server/respond.ts — how the kubelet's streaming endpoints answer a refusal.
//
// Owns: KubeletError (an HTTP code and the kubelet's sentence) and its three forms on the wire. Log errors are
// plain text, as the kubelet writes them (go-restful's WriteError): a forwarding API server turns that body into
// its Status message (kube-apiserver's GenericHttpResponseChecker does: 400 → BadRequest, 404, 500 → InternalError).
// Exec/attach/port-forward refusals are a v1 Status (what kubectl decodes from a failed upgrade, which an API
// server passes through as it is), on a response or on a socket that was never upgraded. PURE but for the writes.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest', 401: 'Unauthorized', 404: 'NotFound', 405: 'MethodNotAllowed', 422: 'Invalid', 500: 'InternalError',
};

export class KubeletError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The Allow header of a 405. */
    readonly allow?: string,
  ) {
    super(message);
  }
}

/** Any thrown value as a KubeletError (others are a 500 with their message). */
export function asKubeletError(err: unknown): KubeletError {
  if (err instanceof KubeletError) return err;
  return new KubeletError(500, err instanceof Error ? err.message : String(err));
}

function statusJSON(err: KubeletError): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: REASONS[err.code] ?? 'Unknown', code: err.code });
}

function headersOf(err: KubeletError, type: string, body: string): Record<string, string | number> {
  return { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...(err.allow ? { Allow: err.allow } : {}) };
}

/** The kubelet's plain-text error answer (containerLogs). */
export function sendPlainError(res: ServerResponse, err: KubeletError): void {
  if (res.headersSent) { res.destroy(); return; }
  res.writeHead(err.code, headersOf(err, 'text/plain; charset=utf-8', err.message));
  res.end(err.message);
}

/** A Status answer on an ordinary response (exec/attach/port-forward without an upgrade). */
export function sendStatusError(res: ServerResponse, err: KubeletError): void {
  if (res.headersSent) { res.destroy(); return; }
  const body = statusJSON(err);
  res.writeHead(err.code, headersOf(err, 'application/json', body));
  res.end(body);
}

/** A Status answer on a socket whose upgrade is refused; the socket is closed after it. */
export function refuseUpgrade(socket: Duplex, err: KubeletError): void {
  const body = statusJSON(err);
  const head = Object.entries({ ...headersOf(err, 'application/json', body), Connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\n${head}\r\n${body}`);
}

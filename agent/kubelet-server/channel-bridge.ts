// agent/kubelet-server/channel-bridge.ts — one exec/attach session over a WebSocket with the Kubernetes channel
// protocol (`v5.channel.k8s.io`, also `v4.channel.k8s.io`): binary messages whose first byte is the channel
// (0 stdin, 1 stdout, 2 stderr, 3 the closing Status with the exit code, 4 terminal resize, 255 half-close in v5).
//
// Called by streams.ts once the upgrade is accepted. Opens the runtime's StreamSession, copies the channels both
// ways (pausing output while the socket is backed up), and ends with the Status: Success, or NonZeroExitCode with
// the exit code in details.causes (what kubectl turns into its exit code).
import type { Readable } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { StreamSession } from '../../cri/api.js';

export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
const HIGH_WATER = 1 << 20;

/** The Status sent on channel 3 when the process has ended. */
export function exitStatus(kind: 'exec' | 'attach', cmd: readonly string[], code: number): object {
  if (code === 0 || kind === 'attach') return { metadata: {}, status: 'Success' };
  if (code < 0) return { metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: 'the exit code of the command is unknown' };
  return {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: `command terminated with non-zero exit code: error executing command [${cmd.join(' ')}], exit code ${code}`,
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

const toBuffer = (d: RawData): Buffer => (Buffer.isBuffer(d) ? d : Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d));

/** Sends a stream's chunks on a channel; resolves when it ends. Pauses while the socket is backed up. */
function pump(ws: WebSocket, stream: Readable | null, channel: number): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    const prefix = Buffer.from([channel]);
    stream.on('data', (chunk: Buffer) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(Buffer.concat([prefix, chunk]), { binary: true }, () => { if (stream.isPaused() && ws.bufferedAmount < HIGH_WATER) stream.resume(); });
      if (ws.bufferedAmount >= HIGH_WATER) stream.pause();
    });
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

/** A client message for a session: stdin data, a resize, or (v5) stdin's half-close. */
function handleMessage(session: StreamSession, msg: Buffer, v5: boolean): void {
  const payload = msg.subarray(1);
  switch (msg[0]) {
    case 0:
      if (session.stdin && !session.stdin.writableEnded) session.stdin.write(payload);
      break;
    case 4: {
      try {
        const size = JSON.parse(payload.toString('utf8')) as { Width?: number; Height?: number };
        if (size.Width && size.Height) session.resize(size.Width, size.Height).catch(() => {});
      } catch { /* a malformed resize is ignored, as the kubelet does */ }
      break;
    }
    case 255:
      if (v5 && payload[0] === 0 && session.stdin && !session.stdin.writableEnded) session.stdin.end();
      break;
  }
}

/** Runs one session on an upgraded socket until the process ends or the client leaves. */
export async function bridge(ws: WebSocket, open: () => Promise<StreamSession>, kind: 'exec' | 'attach', cmd: readonly string[]): Promise<void> {
  const v5 = ws.protocol === CHANNEL_PROTOCOLS[0];
  let session: StreamSession | undefined;
  let gone = false;
  const pending: Buffer[] = [];
  const sendStatus = (status: object): void => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]), { binary: true });
  };
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const msg = toBuffer(data);
    if (msg.length === 0) return;
    if (session) handleMessage(session, msg, v5);
    else pending.push(msg);
  });
  ws.on('close', () => { gone = true; session?.close(); });
  ws.on('error', () => { gone = true; session?.close(); });
  try {
    session = await open();
  } catch (err) {
    sendStatus({ metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: `error ${kind === 'exec' ? 'executing command in' : 'attaching to'} container: ${err instanceof Error ? err.message : String(err)}` });
    ws.close(1000);
    return;
  }
  if (gone) { session.close(); return; }
  for (const msg of pending.splice(0)) handleMessage(session, msg, v5);
  const outputs = Promise.all([pump(ws, session.stdout, 1), pump(ws, session.stderr, 2)]);
  const code = await session.exitCode;
  // Output still in flight when the process ends is sent before the Status (the client stops reading then).
  await Promise.race([outputs, new Promise((r) => setTimeout(r, 2000).unref())]);
  sendStatus(exitStatus(kind, cmd, code));
  session.close();
  ws.close(1000);
  setTimeout(() => ws.terminate(), 5000).unref();
}

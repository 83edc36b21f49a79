// probes/check/tcp.ts — the TCP probe: open a connection from the node within the timeout, then close it.
//
// Owns: the connect/timeout race and Go's wording of dial errors (pkg/probe/tcp). Called by
// probes/prober.ts. Every outcome is success or failure; it never throws and never sends data.
import { Socket } from 'node:net';
import type { CheckOutcome } from '../types.js';
import { dialErrorText, joinHostPort } from './go-text.js';

export function tcpCheck(host: string, port: number, timeoutMs: number): Promise<CheckOutcome> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = new Socket();
    let done = false;
    const finish = (o: CheckOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ result: 'failure', output: `dial tcp ${addr}: i/o timeout` }), timeoutMs);
    socket.once('connect', () => finish({ result: 'success', output: '' }));
    socket.once('error', (err) => finish({ result: 'failure', output: dialErrorText(err, host, addr) }));
    socket.connect({ host, port });
  });
}

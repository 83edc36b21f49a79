// test/helpers/grpc-health.ts — an independent grpc.health.v1 server for the gRPC probe tests: the health
// service is grpc-health-check's HealthImplementation (gRPC's own Node implementation, with its own proto and
// codec) on an @grpc/grpc-js Server, so the probe's hand-written codec is checked against someone else's.
// An unknown service answers NOT_FOUND ("Health status unknown for service x"), as that implementation does.
// A server interceptor records what the probe sent (service, User-Agent) and can hold an answer back.
import { Server, ServerCredentials, ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatusMap } from 'grpc-health-check';

export interface HealthServer {
  readonly port: number;
  readonly health: HealthImplementation;
  /** `service|user-agent` of every Check received, in order. */
  readonly seen: string[];
  close(): void;
}

export interface HealthServerOptions {
  /** Answers for these services are held back this many milliseconds. */
  readonly delayMs?: Readonly<Record<string, number>>;
}

/** Records each call and delays the answer of the services named in `delayMs`. */
function recorder(seen: string[], delayMs: Readonly<Record<string, number>>): ServerInterceptor {
  return (_method, call) => {
    let userAgent = '';
    let service = '';
    return new ServerInterceptingCall(call, {
      start: (next) => next({
        onReceiveMetadata: (md, nextMd) => { userAgent = String(md.get('user-agent')[0] ?? ''); nextMd(md); },
        onReceiveMessage: (msg: { service?: string }, nextMsg) => { service = msg.service ?? ''; seen.push(`${service}|${userAgent}`); nextMsg(msg); },
      }),
      sendMessage: (msg, nextMsg) => {
        const ms = delayMs[service];
        if (ms) setTimeout(() => nextMsg(msg), ms);
        else nextMsg(msg);
      },
    });
  };
}

/** Starts a health server on host:0 with the given statuses ('' is the whole server). */
export async function startHealthServer(host: string, statuses: ServingStatusMap, opts: HealthServerOptions = {}): Promise<HealthServer> {
  const seen: string[] = [];
  const server = new Server({ interceptors: [recorder(seen, opts.delayMs ?? {})] });
  const health = new HealthImplementation(statuses);
  health.addToServer(server);
  const port = await bindInsecure(server, host);
  return { port, health, seen, close: () => server.forceShutdown() };
}

/** A gRPC server with no service at all (a server that does not implement grpc.health.v1). */
export async function startBareServer(host: string): Promise<{ port: number; close(): void }> {
  const server = new Server();
  const port = await bindInsecure(server, host);
  return { port, close: () => server.forceShutdown() };
}

/** Binds on host:0 and resolves with the port. */
function bindInsecure(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(`${host}:0`, ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
}

// test/helpers/grpc-health.ts — a real grpc.health.v1 server for probe tests (no image can be pulled here).
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { HEALTH_CHECK_PATH, decodeHealthCheckRequest, decodeHealthCheckResponse, encodeHealthCheckRequest, encodeHealthCheckResponse } from '../../probes/check/grpc.js';

export type HealthHandler = (call: ServerUnaryCall<{ service: string }, { status: number }>, cb: sendUnaryData<{ status: number }>) => void;

/** A server with the health service answered by `handler`. */
export function healthServer(handler: HealthHandler): Server {
  const server = new Server();
  server.addService({
    Check: {
      path: HEALTH_CHECK_PATH, requestStream: false, responseStream: false,
      requestSerialize: encodeHealthCheckRequest, requestDeserialize: decodeHealthCheckRequest,
      responseSerialize: encodeHealthCheckResponse, responseDeserialize: decodeHealthCheckResponse,
    },
  }, { Check: handler });
  return server;
}

/** Binds on host:0 and resolves with the port. */
export function bindInsecure(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(`${host}:0`, ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
}

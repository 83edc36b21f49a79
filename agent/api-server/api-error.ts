// agent/api-server/api-error.ts — the error every API handler throws to answer with a Kubernetes Status
// (code, reason, message, details), and the two most common ones. PURE: no I/O; request.ts writes it out
// (sendApiError) and re-exports it for the handlers; protobuf.ts throws it without depending on request.ts.
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: object,
  ) {
    super(message);
  }
}

export const notFound = (resource: string, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });
export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

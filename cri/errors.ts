// cri/errors.ts — typed runtime errors whose `code` is the kubelet's reason string.
//
// Callers classify with the predicates below, never by message text. The message is one line a user can act
// on; `cause` keeps the underlying error for the debug log only.

export type CriErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'RuntimeUnavailable'
  | 'DeadlineExceeded'
  | 'ErrImagePull'
  | 'ErrImageNeverPull'
  | 'InvalidImageName'
  | 'ImageInspectError'
  | 'RegistryUnavailable'
  | 'CreatePodSandboxError'
  | 'KillPodSandboxError'
  | 'CreateContainerError'
  | 'RunContainerError'
  | 'KillContainerError'
  | 'Unknown';

export class CriError extends Error {
  override readonly name = 'CriError';
  constructor(
    readonly code: CriErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCriError(err: unknown): err is CriError {
  return err instanceof CriError;
}

export function hasCode(err: unknown, code: CriErrorCode): boolean {
  return err instanceof CriError && err.code === code;
}

export const isNotFound = (err: unknown): boolean => hasCode(err, 'NotFound');
export const isAlreadyExists = (err: unknown): boolean => hasCode(err, 'AlreadyExists');
export const isRuntimeUnavailable = (err: unknown): boolean => hasCode(err, 'RuntimeUnavailable');
export const isDeadlineExceeded = (err: unknown): boolean => hasCode(err, 'DeadlineExceeded');
export const isRegistryUnavailable = (err: unknown): boolean => hasCode(err, 'RegistryUnavailable');

/** One line for a user: the message of a CriError, or the first line of anything else. */
export function errorLine(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err).split('\n')[0] ?? '';
}

// probes/check/port.ts — named and numeric probe/hook ports, resolved against the container's ports.
//
// Owns: the kubelet's probe.ResolveContainerPort rules (a name from container.ports, else a numeric
// string, then 1–65535). Called by the prober and the hook runner before a check. Throws ProbeCheckError
// (`unknown`) with Go's wording when the port cannot be resolved; never does I/O.
import type { Container } from 'kubernetes-types/core/v1.js';
import { ProbeCheckError } from '../types.js';
import { goQuote } from './go-text.js';

/** Go's strconv.Atoi: an optional sign and decimal digits only. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

export function resolvePort(port: number | string | undefined, container: Pick<Container, 'ports'>): number {
  let n: number;
  if (typeof port === 'number') {
    n = port;
  } else if (typeof port === 'string') {
    const named = container.ports?.find((p) => p.name === port);
    if (named) {
      n = named.containerPort;
    } else {
      const parsed = atoi(port);
      if (parsed === undefined) throw new ProbeCheckError('unknown', `strconv.Atoi: parsing ${goQuote(port)}: invalid syntax`);
      n = parsed;
    }
  } else {
    n = 0; // an unset IntOrString is the integer 0
  }
  if (Number.isInteger(n) && n > 0 && n < 65536) return n;
  throw new ProbeCheckError('unknown', `invalid port number: ${n}`);
}

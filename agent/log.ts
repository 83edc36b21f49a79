// agent/log.ts — the agent's logger: pino, structured JSON when stdout is not a terminal, readable lines
// when it is. Child loggers carry the kubelet's keys (pod: "ns/name", podUID, containerName, probeType).
import { pino, destination, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';

export type { Logger };

/** Maps the kubelet's --v verbosity to a level: 0–1 info, 2–3 debug, ≥4 trace. */
export function levelForVerbosity(v: number): LevelWithSilent {
  return v >= 4 ? 'trace' : v >= 2 ? 'debug' : 'info';
}

export function createLogger(opts: { level?: LevelWithSilent; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const pretty = opts.pretty ?? (process.stderr.isTTY === true && !process.env.CI);
  const level = opts.level ?? 'info';
  if (pretty) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', destination: 2 } },
    });
  }
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, (opts.destination as DestinationStream | undefined) ?? destination(2));
}

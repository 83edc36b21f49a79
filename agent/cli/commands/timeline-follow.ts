// agent/cli/commands/timeline-follow.ts — the `timeline --follow` loop shared by the pod and the workload
// timelines: read every `pollMs`, write what was drawn when it changed (on a terminal: clear and redraw,
// cursor hidden), stop on SIGINT, on a closing line from the reader, or when the subject disappears.
const CLEAR = '\x1b[H\x1b[2J';

export interface FollowFrame {
  readonly text: string;
  /** What must change for the frame to be written again when not redrawing a terminal. */
  readonly key: string;
  /** The subject is gone: written after this frame, then exit 0. */
  readonly done?: string;
}

export interface FollowOptions {
  readonly pollMs: number;
  /** On a terminal: clear the screen and redraw every frame (the chart moves with the clock). */
  readonly redraw: boolean;
  readonly read: () => Promise<FollowFrame>;
  /** After a first frame, an error that means the subject was removed: the closing line (exit 0). */
  readonly gone: (err: unknown) => string | undefined;
}

export async function followLoop(o: FollowOptions): Promise<number> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const onSigint = () => { stopped = true; wake?.(); };
  process.once('SIGINT', onSigint);
  if (o.redraw) process.stdout.write('\x1b[?25l');
  let last = '';
  let seen = false;
  try {
    while (!stopped) {
      let f: FollowFrame;
      try {
        f = await o.read();
      } catch (err) {
        const gone = seen ? o.gone(err) : undefined;
        if (gone) { process.stdout.write(`${o.redraw ? '\n' : ''}${gone}\n`); return 0; }
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      }
      seen = true;
      const key = o.redraw ? f.text : f.key;
      if (key !== last) {
        process.stdout.write(o.redraw ? CLEAR + f.text : f.text);
        last = key;
      }
      if (f.done) { process.stdout.write(`${f.done}\n`); return 0; }
      await new Promise<void>((r) => { wake = r; setTimeout(r, o.pollMs); });
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (o.redraw) process.stdout.write('\x1b[?25h');
  }
}

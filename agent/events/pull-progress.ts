// agent/events/pull-progress.ts — shows image pulls as they progress.
//
// On a terminal: one line per image, redrawn in place (`Pulling busybox:latest ████░░░░ 52% 3/5 layers`),
// coloured; elsewhere: a log line per image at most every 2 s. A pull that made no progress (no layer seen: the
// registry never answered) draws nothing. When the image manager runs the image already present because no
// registry answers, that is said once per image (again only after a pull of it has succeeded). Fed by the
// image manager's callbacks; a sink only.
import type { PullProgress } from '../../cri/api.js';

interface ImageState { layers: Map<string, { current: number; total: number; done: boolean }>; lastLog: number }

export class PullProgressDisplay {
  readonly #images = new Map<string, ImageState>();
  /** Images whose offline fallback has been told (until a pull of it succeeds). */
  readonly #fallbackTold = new Set<string>();

  constructor(
    readonly out: NodeJS.WriteStream | undefined,
    readonly log: (image: string, text: string) => void,
    readonly now: () => number = Date.now,
  ) {}

  get #tty(): boolean { return !!this.out?.isTTY; }

  update(image: string, p: PullProgress): void {
    let st = this.#images.get(image);
    if (!st) this.#images.set(image, (st = { layers: new Map(), lastLog: -Infinity }));
    if (p.id) {
      const l = st.layers.get(p.id) ?? { current: 0, total: 0, done: false };
      if (p.total) { l.total = p.total; l.current = p.current ?? l.current; }
      if (/complete|already exists/i.test(p.status)) l.done = true;
      st.layers.set(p.id, l);
    }
    if (st.layers.size > 0) this.#draw(image, st);
    if (p.status === 'Status: pulled') this.#fallbackTold.delete(image);
    if (/^(Digest|Status):/.test(p.status)) this.finish(image);
  }

  /** No registry answered and the image already present is run: said once per image. */
  presentImageUsed(image: string, message: string): void {
    if (this.#fallbackTold.has(image)) return;
    this.#fallbackTold.add(image);
    this.log(image, `Cannot pull ${image}, no registry answers (${message}); running the image already present on this machine`);
  }

  #draw(image: string, st: ImageState): void {
    const text = PullProgressDisplay.render(image, st, this.#tty && !process.env.NO_COLOR);
    if (this.#tty) this.out!.write(`\r\x1b[2K${text}`);
    else if (this.now() - st.lastLog >= 2000) { st.lastLog = this.now(); this.log(image, text); }
  }

  finish(image: string): void {
    if (this.#images.delete(image) && this.#tty) this.out!.write('\r\x1b[2K');
  }

  /** PURE: the progress line of one image. */
  static render(image: string, st: Pick<ImageState, 'layers'>, color: boolean): string {
    const layers = [...st.layers.values()];
    const total = layers.reduce((a, l) => a + l.total, 0);
    const current = layers.reduce((a, l) => a + (l.done ? l.total : l.current), 0);
    const pct = total > 0 ? Math.min(100, Math.floor((current / total) * 100)) : 0;
    const width = 20;
    const filled = Math.round((pct / 100) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const done = layers.filter((l) => l.done).length;
    const line = `Pulling ${image} ${color ? `\x1b[36m${bar}\x1b[0m` : bar} ${pct}% ${done}/${layers.length} layers`;
    return line;
  }
}

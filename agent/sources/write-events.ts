// agent/sources/write-events.ts — what the folder watch saw happen to each manifest name since the last scan.
//
// fs.watch on Linux (inotify through libuv) reports 'rename' when a name appears or goes (create, move in or
// out, delete) and 'change' when a file's data or attributes change in place. A manifest that only *moved
// in* (the atomic write of editors, kubectl-like tools and `mv`: write a temp file, rename it over the name)
// is complete the moment it appears, so the file source can accept it without waiting for it to settle.
// A file written in place shows 'change' events for as long as it is written, and keeps the settle wait.
// Owned by one FileSource; never touches the file system.

export type WatchEvent = 'rename' | 'change';

interface Seen { moved: boolean; written: boolean }

export class WriteEvents {
  #seen = new Map<string, Seen>();

  /** One event from the watcher for `name` (a base name). */
  note(event: WatchEvent, name: string): void {
    const s = this.#seen.get(name) ?? { moved: false, written: false };
    if (event === 'rename') s.moved = true;
    else s.written = true;
    this.#seen.set(name, s);
  }

  /** Starts a new window: what was seen until now, for the scan that begins. */
  take(): WindowView {
    const seen = this.#seen;
    this.#seen = new Map();
    return new WindowView(seen, this);
  }

  /** The name was written in place since the window began (read after a scan's first read). */
  writtenSince(name: string): boolean {
    return this.#seen.get(name)?.written ?? false;
  }
}

export class WindowView {
  constructor(private readonly seen: ReadonlyMap<string, Seen>, private readonly live: WriteEvents) {}

  /**
   * Moved in during the window and never written in place: complete as it stands, as long as no write shows
   * up after it was read (checked by `stillWhole`).
   */
  movedInWhole(name: string): boolean {
    const s = this.seen.get(name);
    return !!s && s.moved && !s.written;
  }

  /** No in-place write of `name` was reported after the window began. */
  stillWhole(name: string): boolean {
    return !this.live.writtenSince(name);
  }
}

/** Resolves after the event loop has polled for I/O twice: watch events already queued have been delivered. */
export function afterPendingEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

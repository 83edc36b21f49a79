// control-plane/store/persistence.ts — the durable half of the store: one SQLite database (better-sqlite3)
// under the store's directory, holding every live object as JSON and the resourceVersion counter.
//
// Each write is one SQLite transaction (the object row + the counter row), so a crash leaves either the
// whole write or none of it: nothing torn, and the counter never goes back. Durability, reasoned:
// - journal_mode=WAL, synchronous=NORMAL: a commit is appended to the WAL with write(2) before `put`/`remove`
//   return, so it survives the process being killed (kill -9) at any later instant; SQLite guarantees the
//   database is never corrupt in this mode, also across power loss.
// - Power loss is covered by `sync()`: one fdatasync(2) of the WAL file, run on libuv's thread pool, and
//   shared by every write committed before it started (group commit). The store answers a write only after
//   that sync, so every answered write is on disk — what synchronous=FULL gives, without an fsync per write
//   on the event loop.
// - The WAL's directory entry is made durable with an fsync of the directory after it is created.
import Database from 'better-sqlite3';
import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredRow { resource: string; namespace: string; name: string; rv: number; data: string }

const SCHEMA_VERSION = 1;

export interface BackendOptions {
  /** Directory of the database; undefined = in memory (tests of logic that need no disk). */
  dir?: string;
  /** fdatasync the WAL before a write is answered (default true). */
  fsync?: boolean;
}

export class SqliteBackend {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly del: Database.Statement;
  private readonly setRv: Database.Statement;
  private walFd: number | undefined;
  private readonly groupSync: GroupSync | undefined;

  constructor(private readonly opts: BackendOptions) {
    if (opts.dir) mkdirSync(opts.dir, { recursive: true });
    this.db = new Database(opts.dir ? join(opts.dir, 'store.db') : ':memory:', { timeout: 1000 });
    try {
      if (opts.dir) {
        // One process owns the store: its in-memory view must be the only writer. EXCLUSIVE (set before WAL,
        // so no shared-memory index is made) keeps the file lock from the first write until close.
        this.db.pragma('locking_mode = EXCLUSIVE');
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
      }
      this.migrate();
    } catch (e) {
      this.db.close();
      if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new Error(`the store in ${opts.dir} is in use by another process`);
      throw e;
    }
    this.upsert = this.db.prepare('INSERT OR REPLACE INTO objects (resource, namespace, name, rv, data) VALUES (?, ?, ?, ?, ?)');
    this.del = this.db.prepare('DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?');
    this.setRv = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('rv', ?)");
    if (opts.dir && opts.fsync !== false) {
      this.groupSync = new GroupSync((cb) => fdatasync(this.wal(), cb));
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`store.db schema ${version} is newer than this program (${SCHEMA_VERSION})`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (
        resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
        rv INTEGER NOT NULL, data TEXT NOT NULL,
        UNIQUE (resource, namespace, name));
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      PRAGMA user_version = ${SCHEMA_VERSION};`);
  }

  /** The counter and every stored object, for the store to load into memory. */
  load(): { rv: number; rows: StoredRow[] } {
    const meta = this.db.prepare("SELECT value FROM meta WHERE key = 'rv'").get() as { value: number } | undefined;
    const rows = this.db.prepare('SELECT resource, namespace, name, rv, data FROM objects').all() as StoredRow[];
    const maxRow = rows.reduce((m, r) => Math.max(m, r.rv), 0);
    return { rv: Math.max(meta?.value ?? 0, maxRow), rows };
  }

  /** Writes (or replaces) one object and the counter in one transaction. */
  put(resource: string, namespace: string, name: string, rv: number, data: string): void {
    this.tx(() => { this.upsert.run(resource, namespace, name, rv, data); this.setRv.run(rv); });
  }

  /** Removes one object and advances the counter in one transaction. */
  remove(resource: string, namespace: string, name: string, rv: number): void {
    this.tx(() => { this.del.run(resource, namespace, name); this.setRv.run(rv); });
  }

  private tx(fn: () => void): void {
    this.db.transaction(fn)();
  }

  /** Resolves once every write committed before the call is on stable storage. */
  sync(): Promise<void> {
    return this.groupSync ? this.groupSync.request() : Promise.resolve();
  }

  private wal(): number {
    if (this.walFd === undefined) {
      const dir = this.opts.dir!;
      this.walFd = openSync(join(dir, 'store.db-wal'), 'r');
      const d = openSync(dir, 'r');
      try { fsyncSync(d); } finally { closeSync(d); }
    }
    return this.walFd;
  }

  async close(): Promise<void> {
    await this.sync();
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
    this.db.close();
  }
}

/**
 * Group commit: one sync call at a time, started on the turn after the first request; every request made
 * meanwhile or while one runs is answered by the next one (which starts after the running one ends, so it
 * covers their writes).
 */
export class GroupSync {
  private running = false;
  private scheduled = false;
  private waiting: Array<{ resolve(): void; reject(e: unknown): void }> = [];

  constructor(private readonly syncFn: (cb: (err: Error | null) => void) => void) {}

  request(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running && !this.scheduled) {
        // Start on the next turn, so every write committed in this one shares the sync.
        this.scheduled = true;
        setImmediate(() => { this.scheduled = false; if (!this.running) this.round(); });
      }
    });
  }

  private round(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.running = true;
    this.syncFn((err) => {
      this.running = false;
      for (const w of batch) if (err) w.reject(err); else w.resolve();
      if (this.waiting.length > 0) this.round();
    });
  }
}

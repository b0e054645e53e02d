import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The checkpointing of an embedded database's WAL, off the event loop.
 *
 * SQLite checkpoints on the committing connection by default: the COMMIT that
 * takes the WAL past 1,000 pages copies them into the database file and fsyncs
 * both files before it returns. On the writing connection (write-lock.ts) that
 * is the event loop stopped for 5 to 30 ms every few dozen commits, measured at
 * two thirds of all the time COMMIT took under load. The writing connection
 * turns that off (`wal_autocheckpoint = 0`) and this runs the checkpoints
 * instead, on a connection of a worker thread's own.
 *
 * A PASSIVE checkpoint never takes the write lock, so commits go on while it
 * copies and syncs, with the same guarantees as SQLite's own (the WAL is
 * synced before its pages are copied, the database file before the WAL can
 * start over). A commit during a checkpoint leaves frames it has not copied,
 * and the WAL starts over only when a checkpoint has copied all of them; under
 * sustained writes that might never happen, so once the WAL passes
 * `PAUSE_FRAMES` the next checkpoint runs while writes wait (`pause`), which
 * bounds the WAL as SQLite's own checkpoints do, with the event loop still free.
 */
export class Checkpointer {
  private worker: Worker | null = null;
  private running = false;
  private pending = false;
  private lastEnded = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Frames in the WAL and those copied, as the last checkpoint found them. */
  private frames = { log: 0, copied: 0 };
  /** While set, write transactions wait for it before they start. */
  pause: Promise<void> | null = null;
  /** Resolves `pause`: when the checkpoint ends, fails, or the database closes. */
  private resume: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly file: string,
    /** At most one checkpoint per this many ms while commits keep coming. */
    private readonly everyMs = CHECKPOINT_EVERY_MS,
    /** WAL frames past which a checkpoint that could not copy them all holds writes until it has. */
    private readonly pauseFrames = PAUSE_FRAMES,
  ) {}

  /** A write transaction committed: its frames are checkpointed soon, with those of the commits after it. */
  committed(): void {
    if (this.closed) return;
    this.pending = true;
    if (this.running || this.timer) return;
    const wait = this.lastEnded + this.everyMs - Date.now();
    if (wait <= 0) this.start();
    else {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.pending && !this.running) this.start();
      }, wait);
      this.timer.unref();
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.worker?.terminate();
    this.worker = null;
    this.release();
  }

  private start(): void {
    this.pending = false;
    this.running = true;
    if (this.frames.log >= this.pauseFrames && this.frames.copied < this.frames.log) {
      this.pause = new Promise<void>((resolve) => (this.resume = resolve));
    }
    const worker = this.workerOf();
    worker.once('message', (result: unknown) => {
      const [, log, copied] = Array.isArray(result) ? (result as number[]) : [1, -1, -1];
      this.frames = { log: log!, copied: copied! };
      this.ended();
    });
    worker.postMessage('checkpoint');
  }

  private ended(): void {
    this.running = false;
    this.lastEnded = Date.now();
    this.release();
    if (this.pending) this.committed();
  }

  /** Lets held writes go. */
  private release(): void {
    this.pause = null;
    this.resume?.();
    this.resume = null;
  }

  private workerOf(): Worker {
    if (!this.worker) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { libsql: require.resolve('libsql'), file: this.file } });
      // A checkpoint that fails is left to the next one (or to SQLite's own at the last close); writes go on.
      worker.on('error', (err) => {
        console.error('checkpoint worker failed', err);
      });
      worker.on('exit', () => {
        if (this.worker !== worker) return;
        this.worker = null;
        if (this.running) this.ended();
      });
      worker.unref();
      this.worker = worker;
    }
    return this.worker;
  }
}

const require = createRequire(import.meta.url);

const CHECKPOINT_EVERY_MS = 100;

/** WAL frames (pages) past which a checkpoint holds writes until it has copied them all: about 32 MB. */
export const PAUSE_FRAMES = 8192;

/** Synchronous FULL (libsql's default): a checkpoint syncs the WAL before copying it and the database file after. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const connection = new Database(workerData.file, { timeout: 5000 });
const checkpoint = connection.prepare('PRAGMA wal_checkpoint(PASSIVE)').raw(true);
parentPort.on('message', () => {
  let result;
  try {
    result = checkpoint.get();
  } catch (err) {
    console.error('checkpoint failed', err);
    result = [1, -1, -1];
  }
  parentPort.postMessage(result);
});
`;

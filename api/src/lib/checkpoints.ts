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
 * bounds the WAL unless a reader keeps an old snapshot for good, with the event
 * loop still free. Should checkpoints keep failing, the writer goes back to
 * SQLite's own (`giveUp`).
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
    /** WAL frames past which a checkpoint that could not copy them all holds writes while the next one runs. */
    private readonly pauseFrames = PAUSE_FRAMES,
    /**
     * Called once `GIVE_UP_AFTER` checkpoints in a row have failed (the worker cannot start, open the
     * file or checkpoint it): the writer then checkpoints as SQLite does by default, so that its WAL
     * cannot grow without end. This Checkpointer stops.
     */
    private readonly giveUp: () => void = () => {},
  ) {}
  /** Checkpoints in a row that failed. */
  private failures = 0;

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

  /**
   * Stops checkpointing. The worker finishes a checkpoint under way, closes its connection and
   * exits; the promise resolves once it has. (Terminating it inside a checkpoint, or exiting the
   * process then, can abort the process: libsql's native code finds the termination pending.)
   */
  close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const worker = this.worker;
    this.worker = null;
    this.release();
    if (!worker) return Promise.resolve();
    return new Promise<void>((exited) => {
      worker.once('exit', () => exited());
      // Until it has exited, the process stays: it would otherwise end, and end the worker, at once.
      worker.ref();
      worker.postMessage('close');
    });
  }

  private start(): void {
    this.pending = false;
    this.running = true;
    if (this.frames.log >= this.pauseFrames && this.frames.copied < this.frames.log) {
      this.pause = new Promise<void>((resolve) => (this.resume = resolve));
    }
    let worker: Worker;
    try {
      worker = this.workerOf();
    } catch (err) {
      // Called after a COMMIT: never throws into it.
      console.error('checkpoint worker could not start', err);
      return this.ended(false);
    }
    worker.once('message', (result: unknown) => {
      const [, log, copied] = Array.isArray(result) ? (result as number[]) : [1, -1, -1];
      this.frames = { log: log!, copied: copied! };
      this.ended(log !== -1);
    });
    worker.postMessage('checkpoint');
  }

  private ended(succeeded: boolean): void {
    this.failures = succeeded ? 0 : this.failures + 1;
    if (this.failures >= GIVE_UP_AFTER && !this.closed) {
      console.error(`${GIVE_UP_AFTER} checkpoints in a row failed: the writing connection checkpoints by itself again`);
      void this.close();
      this.giveUp();
    }
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
        if (this.running) this.ended(false);
      });
      worker.unref();
      this.worker = worker;
    }
    return this.worker;
  }
}

const require = createRequire(import.meta.url);

const CHECKPOINT_EVERY_MS = 100;

/**
 * WAL frames (pages) past which, when the last checkpoint could not copy them all (a reader holds an
 * older snapshot), the next checkpoint holds writes while it runs: about 32 MB. Bounded unless a reader
 * keeps its old snapshot for good.
 */
const PAUSE_FRAMES = 8192;

const GIVE_UP_AFTER = 3;

/** Synchronous FULL (libsql's default): a checkpoint syncs the WAL before copying it and the database file after. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const connection = new Database(workerData.file, { timeout: 5000 });
const checkpoint = connection.prepare('PRAGMA wal_checkpoint(PASSIVE)').raw(true);
parentPort.on('message', (message) => {
  if (message === 'close') {
    connection.close();
    return process.exit(0);
  }
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

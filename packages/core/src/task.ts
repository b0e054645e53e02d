import type { ReactiveControllerHost } from 'lit';

/**
 * Async data of a widget, as `@lit/task`'s `Task` has it (the same members, statuses and
 * `initialState`) but only what the widgets use: a task runs when its `args` change in an
 * update, aborting the run before it, and `taskComplete` settles with the latest run. Not the
 * library's: its `render()`, `autoRun` modes, `onComplete` and custom `argsEqual` are a
 * sizeable share of a widget's bundle that no widget calls (`renderTask` in states.ts renders).
 */

/** Returned by a task function: the task goes back to `INITIAL` (nothing to show, say no question open). */
export const initialState = Symbol();

/** A task's status: 0 initial, 1 pending, 2 complete, 3 error (`@lit/task`'s `TaskStatus`). */
export const TaskStatus = { INITIAL: 0, PENDING: 1, COMPLETE: 2, ERROR: 3 } as const;

export interface TaskConfig<A extends readonly unknown[], R> {
  task: (args: A, options: { signal: AbortSignal }) => R | typeof initialState | Promise<R | typeof initialState>;
  args: () => A;
  onError?: (error: unknown) => void;
}

export class Task<A extends readonly unknown[] = readonly unknown[], R = unknown> {
  /** See `TaskStatus`. */
  status: number = TaskStatus.INITIAL;
  /** The last run's result (until a run that fails or returns `initialState`). */
  value?: R;
  /** The last run's error. */
  error?: unknown;
  private _args?: A;
  private _runs = 0;
  private _abort?: AbortController;
  private _complete?: Promise<R>;
  private _settle?: [(value: R) => void, (error: unknown) => void];

  constructor(
    private readonly _host: ReactiveControllerHost,
    private readonly _config: TaskConfig<A, R>,
  ) {
    _host.addController(this);
  }

  hostUpdate() {
    const args = this._config.args();
    if (!this._args || args.some((a, i) => a !== this._args![i])) this.run(args);
  }

  /** The latest run's result, or its error as a rejection. */
  get taskComplete(): Promise<R> {
    return (this._complete ??=
      this.status === TaskStatus.COMPLETE
        ? Promise.resolve(this.value!)
        : this.status === TaskStatus.ERROR
          ? Promise.reject(this.error)
          : new Promise((resolve, reject) => (this._settle = [resolve, reject])));
  }

  /** Runs the task now (again), with `args` or the current ones. */
  async run(args = this._config.args()) {
    this._args = args;
    if (this.status === TaskStatus.PENDING) this._abort?.abort();
    else this._complete = this._settle = undefined;
    this.status = TaskStatus.PENDING;
    this._host.requestUpdate();
    const run = ++this._runs;
    const abort = (this._abort = new AbortController());
    let result: R | typeof initialState | undefined;
    let error: unknown;
    let failed = false;
    try {
      result = await this._config.task(args, { signal: abort.signal });
    } catch (e) {
      failed = true;
      error = e;
    }
    // A later run took over.
    if (run !== this._runs) return;
    if (result === initialState) this.status = TaskStatus.INITIAL;
    else {
      this.value = result;
      this.error = error;
      if (failed) {
        this._config.onError?.(error);
        this.status = TaskStatus.ERROR;
        this._settle?.[1](error);
      } else {
        this.status = TaskStatus.COMPLETE;
        this._settle?.[0](result!);
      }
    }
    this._host.requestUpdate();
  }
}

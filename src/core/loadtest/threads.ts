import * as os from 'node:os';
import type { WindowMessage } from './protocol';
import type { LoadModel } from './types';

/** Most engine threads a run starts by default, whatever the core count (each holds an autocannon instance and ~30 MB). */
export const MAX_DEFAULT_THREADS = 8;
/** Hard bound on `threads`. */
export const MAX_THREADS = 64;

/**
 * How many engine threads run a model. The closed model is spread over one thread per core (at
 * most 8, never more than its connections): one autocannon instance saturates its thread at about
 * 0.7× what wrk drives from two (issue 12), so a single thread caps throughput before the server
 * does. wrk's own default is 2 threads. The open model runs on one thread: its scheduler issues
 * every start from one clock, and its dropped-start count is against one in-flight limit.
 */
export function engineThreads(model: LoadModel, requested?: number, cores: number = os.availableParallelism()): number {
  if (model.kind !== 'closed') return 1;
  const wanted = requested !== undefined && Number.isFinite(requested) ? Math.floor(requested) : Math.min(cores, MAX_DEFAULT_THREADS);
  return Math.max(1, Math.min(wanted, model.connections, MAX_THREADS));
}

/**
 * Lines up the 1-second windows of several engine threads: second `s` is complete once every
 * thread still running has posted its window `s` (a thread that finished posts no more). Each
 * complete second comes out once, in order, as the list of its parts, for RunAccumulator.add.
 */
export class WindowAligner {
  private readonly pending = new Map<number, WindowMessage[]>();
  private readonly lastSecond: number[];
  private readonly finished: boolean[];
  private nextSecond = 1;

  constructor(readonly threads: number) {
    this.lastSecond = new Array<number>(threads).fill(0);
    this.finished = new Array<boolean>(threads).fill(false);
  }

  /** Thread `thread` posted a window; returns the seconds that are now complete. */
  add(thread: number, w: WindowMessage): WindowMessage[][] {
    const parts = this.pending.get(w.second);
    if (parts) parts.push(w);
    else this.pending.set(w.second, [w]);
    this.lastSecond[thread] = Math.max(this.lastSecond[thread], w.second);
    return this.complete();
  }

  /** Thread `thread` will post no more windows; returns the seconds that are now complete. */
  finish(thread: number): WindowMessage[][] {
    this.finished[thread] = true;
    return this.complete();
  }

  get allFinished(): boolean {
    return this.finished.every(Boolean);
  }

  /** Every second still held, complete or not (the run ends without waiting for the missing parts). */
  drain(): WindowMessage[][] {
    const out: WindowMessage[][] = [];
    for (const second of [...this.pending.keys()].sort((a, b) => a - b)) out.push(this.pending.get(second)!);
    this.pending.clear();
    return out;
  }

  private complete(): WindowMessage[][] {
    const out: WindowMessage[][] = [];
    for (;;) {
      const s = this.nextSecond;
      const ready = this.lastSecond.every((last, i) => this.finished[i] || last >= s);
      if (!ready) break;
      const parts = this.pending.get(s);
      // Every thread has moved past `s` (or finished) without a window for it: nothing more will come.
      if (!parts && this.lastSecond.every((last, i) => this.finished[i] && last < s)) break;
      this.pending.delete(s);
      if (parts) out.push(parts);
      this.nextSecond++;
    }
    return out;
  }
}

import { createHistogram, encodeHistogram, recordMicros, type LatencyHistogram } from './histogram';
import { emptyErrors, errorKindOf, type OutcomeCounts, type WindowCounts, type WindowMessage } from './protocol';

type Slot = OutcomeCounts<LatencyHistogram>;

/**
 * Records outcomes into the current 1-second window, per request name, in the engine worker.
 * Latency is microseconds from the request's (intended) start to the end of its response.
 */
export class WindowRecorder {
  private slots = new Map<string, Slot>();
  private windowStart: number;
  private second = 0;

  constructor(
    names: string[],
    private readonly now: () => number,
  ) {
    for (const n of names) this.slots.set(n, this.newSlot());
    this.windowStart = now();
  }

  private newSlot(): Slot {
    return { hist: createHistogram(), requests: 0, errors: 0, failed: 0, statusCodes: {}, errorsByKind: emptyErrors() };
  }

  private slot(name: string): Slot {
    let s = this.slots.get(name);
    if (!s) this.slots.set(name, (s = this.newSlot()));
    return s;
  }

  response(name: string, status: number, micros: number): void {
    const s = this.slot(name);
    recordMicros(s.hist, micros);
    s.requests++;
    if (status >= 400) s.failed++;
    const code = String(status);
    s.statusCodes[code] = (s.statusCodes[code] ?? 0) + 1;
  }

  error(name: string, err: { code?: string; message?: string } | undefined): void {
    const s = this.slot(name);
    s.requests++;
    s.errors++;
    s.failed++;
    s.errorsByKind[errorKindOf(err)]++;
  }

  /** Whether the current window holds any outcome (a request that ended, or an error). */
  get pending(): boolean {
    for (const s of this.slots.values()) if (s.requests > 0) return true;
    return false;
  }

  /** Closes the current window and starts the next one. */
  flush(extra: { dropped: number; inFlight: number; target: number }): WindowMessage {
    const end = this.now();
    const byRequest: Record<string, WindowCounts> = {};
    for (const [name, s] of this.slots) {
      byRequest[name] = { hist: encodeHistogram(s.hist), requests: s.requests, errors: s.errors, failed: s.failed, statusCodes: s.statusCodes, errorsByKind: s.errorsByKind };
      s.hist.reset();
      s.requests = s.errors = s.failed = 0;
      s.statusCodes = {};
      s.errorsByKind = emptyErrors();
    }
    const msg: WindowMessage = { type: 'window', second: ++this.second, durationMs: Math.max(0, end - this.windowStart), byRequest, ...extra };
    this.windowStart = end;
    return msg;
  }
}

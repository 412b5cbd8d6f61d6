import { runClosedModel, type ModelRun } from './closedModel';
import { runOpenModel } from './openModel';
import type { ControlMessage, EngineInput, WorkerMessage } from './protocol';
import { WindowRecorder } from './recorder';

/** How long a run waits, at the end of its duration, for requests still in flight (k6's gracefulStop). */
const GRACEFUL_STOP_MS = 2000;

/**
 * Runs one scenario's load and posts recorded windows: one per second, then a last partial one
 * and `finished`. Runs inside the engine worker (worker.ts); callable in-process for tools that
 * already run off the UI thread.
 */
export function runEngine(input: EngineInput, post: (m: WorkerMessage) => void, onControl: (handler: (m: ControlMessage) => void) => void): void {
  const now = (): number => performance.now();
  const recorder = new WindowRecorder(
    input.requests.map((r) => r.name),
    now,
  );
  let finished = false;
  let model: ModelRun;
  const crash = (err: Error): void => {
    if (finished) return;
    finished = true;
    post({ type: 'crashed', message: err.message });
  };
  const t0 = now();
  post({ type: 'started', startedAt: new Date().toISOString() });
  try {
    model = input.model.kind === 'closed' ? runClosedModel(input, input.model, recorder, crash) : runOpenModel(input, input.model, recorder, now);
  } catch (err) {
    crash(err as Error);
    return;
  }
  const flush = (): void => post(recorder.flush({ dropped: model.takeDropped(), inFlight: model.inFlight(), target: model.target() }));

  // Windows on whole seconds from the start, corrected for timer drift.
  let second = 0;
  let tickTimer: NodeJS.Timeout | undefined;
  const scheduleTick = (): void => {
    second++;
    tickTimer = setTimeout(
      () => {
        if (finished) return;
        flush();
        scheduleTick();
      },
      Math.max(0, t0 + second * 1000 - now()),
    );
  };
  scheduleTick();

  const finish = (): void => {
    if (finished) return;
    finished = true;
    model.stop();
    if (tickTimer) clearTimeout(tickTimer);
    // The last window is partial; an empty sliver (< 50 ms) would only add noise, but one that
    // holds outcomes (requests that ended while the run drained) is flushed so totals match what
    // the server saw.
    const sinceLast = now() - (t0 + (second - 1) * 1000);
    if (sinceLast >= 50 || second === 1 || recorder.pending) flush();
    post({ type: 'finished' });
  };

  const durationMs = input.model.durationSec * 1000;
  const endTimer = setTimeout(() => {
    const grace = setTimeout(finish, Math.min(GRACEFUL_STOP_MS, input.timeoutSec * 1000));
    void model.drain().then(() => {
      clearTimeout(grace);
      finish();
    });
  }, durationMs);
  onControl((m) => {
    if (m.type === 'stop') {
      clearTimeout(endTimer);
      finish();
    }
  });
}

// Entry of a load-test engine thread (bundled as dist/loadtest-worker.js): records load off the
// caller's thread so the extension host and the CLI's progress line never wait on it. A run may
// start several (run.ts); each waits for `go` so they all start sending at the same moment.
import { parentPort, workerData } from 'node:worker_threads';
import { runEngine } from './engine';
import type { ControlMessage, EngineInput } from './protocol';

if (parentPort) {
  const port = parentPort;
  let started = false;
  let engineControl: ((m: ControlMessage) => void) | undefined;
  port.on('message', (m: ControlMessage) => {
    // Between two tasks of this thread: never inside a histogram's deflate (see run.ts terminateAll).
    if (m.type === 'exit') process.exit(0);
    if (m.type === 'go' && !started) {
      started = true;
      runEngine(
        workerData as EngineInput,
        (out) => port.postMessage(out),
        (handler) => (engineControl = handler),
      );
    } else if (m.type === 'stop' && !started) {
      // Cancelled before the load started: nothing was sent, nothing to record.
      started = true;
      port.postMessage({ type: 'finished' });
    } else engineControl?.(m);
  });
  port.postMessage({ type: 'ready' });
}

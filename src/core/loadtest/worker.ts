// Entry of the load-test engine thread (bundled as dist/loadtest-worker.js): records load off the
// caller's thread so the extension host and the CLI's progress line never wait on it.
import { parentPort, workerData } from 'node:worker_threads';
import { runEngine } from './engine';
import type { ControlMessage, EngineInput } from './protocol';

if (parentPort) {
  const port = parentPort;
  runEngine(
    workerData as EngineInput,
    (m) => port.postMessage(m),
    (handler) => port.on('message', (m: ControlMessage) => handler(m)),
  );
}

import autocannon = require('autocannon/lib/init');
import type { WindowRecorder } from './recorder';
import type { EngineInput, WireRequest } from './protocol';
import type { ClosedModel } from './types';

/** Shortest request list handed to autocannon (see runClosedModel). */
const MIN_CYCLE = 64;

export interface ModelRun {
  stop(): void;
  /** Resolves when the model stopped sending and no more outcomes will be recorded. */
  done: Promise<void>;
  /** Stops starting requests and resolves once those in flight have ended (the caller bounds the wait). */
  drain(): Promise<void>;
  inFlight(): number;
  /** Open connections (closed model) or the scheduled rate (open model) right now. */
  target(): number;
  /** Scheduled starts not made since the last call (open model). */
  takeDropped(): number;
}

/**
 * Requests in proportion to their weights, interleaved (smooth weighted round robin, as nginx
 * balances upstreams) so each connection's cycle mixes them: autocannon walks one list per
 * connection in order.
 */
export function weightedCycle(requests: WireRequest[], maxLength = 100): WireRequest[] {
  const min = Math.min(...requests.map((r) => r.weight));
  let counts = requests.map((r) => Math.max(1, Math.round(r.weight / min)));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > maxLength) counts = counts.map((c) => Math.max(1, Math.round((c * maxLength) / total)));
  const cycleLength = counts.reduce((a, b) => a + b, 0);
  const current = counts.map(() => 0);
  const out: WireRequest[] = [];
  for (let i = 0; i < cycleLength; i++) {
    let best = 0;
    for (let j = 0; j < counts.length; j++) {
      current[j] += counts[j];
      if (current[j] > current[best]) best = j;
    }
    current[best] -= cycleLength;
    out.push(requests[best]);
  }
  return out;
}

/** The connections each ramp-up step opens, as a range of opening order: the first steps take the remainder. */
export function rampSteps(connections: number, steps: number): Array<{ first: number; count: number }> {
  const per = Math.floor(connections / steps);
  const extra = connections % steps;
  const out: Array<{ first: number; count: number }> = [];
  let first = 0;
  for (let i = 0; i < steps; i++) {
    const count = per + (i < extra ? 1 : 0);
    out.push({ first, count });
    first += count;
  }
  return out;
}

/** How many of the connections `first … first + count - 1` (opening order) belong to `share`: those with `k % share.count === share.index`. */
export function connectionsOfShare(first: number, count: number, share: { index: number; count: number }): number {
  const upTo = (n: number): number => (n <= share.index ? 0 : Math.floor((n - share.index - 1) / share.count) + 1);
  return upTo(first + count) - upTo(first);
}

/**
 * The closed model on autocannon: `connections` keep-alive connections, each sending its next
 * request when the previous response arrives. Latency is taken from autocannon's per-response
 * high-resolution duration (autocannon's own histogram keeps whole milliseconds only) and recorded
 * per request name here. A ramp-up opens the connections in up to 10 steps. With `input.share`
 * this thread runs only its part of the connections (run.ts spreads a closed model over threads:
 * one autocannon instance saturates one core well before the servers it is pointed at do).
 */
export function runClosedModel(input: EngineInput, model: ClosedModel, recorder: WindowRecorder, onCrash: (err: Error) => void): ModelRun {
  const origin = new URL(input.requests[0].url).origin;
  // autocannon deep-clones its per-connection context each time a connection wraps around its
  // list (requestIterator.js): with a one-request list that is once per request. Repeating the
  // cycle makes it once per 64.
  const base = weightedCycle(input.requests);
  const cycle = Array.from({ length: Math.ceil(MIN_CYCLE / base.length) }, () => base).flat().map((r) => {
    const u = new URL(r.url);
    return { name: r.name, method: r.method, path: `${u.pathname}${u.search}`, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) };
  });
  const steps = model.rampUpSec > 0 ? Math.min(model.connections, 10) : 1;
  const instances: autocannon.AutocannonInstance[] = [];
  const clients = new Set<autocannon.AutocannonClient>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  let draining = false;
  let resolveDrained!: () => void;
  const drained = new Promise<void>((r) => (resolveDrained = r));
  const retire = (client: autocannon.AutocannonClient): void => {
    // Destroying the client inside its response handler means autocannon's next write goes to a
    // closed socket: nothing more reaches the server, so counts match what it saw.
    client.destroy();
    clients.delete(client);
    if (clients.size === 0) resolveDrained();
  };
  let open = 0;
  let finished = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const launch = (connections: number): void => {
    if (stopped || connections === 0) return;
    open += connections;
    const instance = autocannon(
      {
        url: origin,
        connections,
        // Shipshape ends the run itself (stop()); autocannon's own timer is only a backstop.
        duration: model.durationSec + 5,
        timeout: input.timeoutSec,
        sampleInt: 100,
        requests: cycle,
        setupClient: (client) => {
          clients.add(client);
          client.on('response', (status: number, _bytes: number, durationMs: number) => {
            if (!stopped) recorder.response(client.requestIterator.currentRequest.name ?? '', status, durationMs * 1000);
            if (draining) retire(client);
          });
          client.on('connError', (err: Error) => {
            if (!stopped) recorder.error(client.requestIterator.currentRequest.name ?? '', err as NodeJS.ErrnoException);
            if (draining) retire(client);
          });
          client.on('timeout', () => {
            if (!stopped) recorder.error(client.requestIterator.currentRequest.name ?? '', { code: 'ETIMEDOUT', message: 'request timed out' });
            if (draining) retire(client);
          });
        },
      },
      (err) => {
        if (err && !stopped) onCrash(err);
        if (++finished === instances.length && stopped) resolveDone();
      },
    );
    // autocannon re-emits client errors on the instance; they are recorded per client above.
    instance.on('error', () => undefined);
    instances.push(instance);
  };

  const share = input.share ?? { index: 0, count: 1 };
  for (const [i, n] of rampSteps(model.connections, steps).entries()) {
    const mine = connectionsOfShare(n.first, n.count, share);
    if (i === 0) launch(mine);
    else timers.push(setTimeout(() => launch(mine), (model.rampUpSec * 1000 * i) / steps));
  }

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const i of instances) i.stop();
      // autocannon only notices `stop` at its next sample tick; closing the sockets now keeps
      // cancel well under a second.
      for (const c of clients) c.destroy();
      if (finished === instances.length) resolveDone();
      // Bound the wait for autocannon's callbacks.
      setTimeout(resolveDone, 300).unref();
    },
    done,
    drain() {
      draining = true;
      for (const t of timers) clearTimeout(t);
      if (clients.size === 0) resolveDrained();
      return drained;
    },
    inFlight: () => (stopped ? 0 : draining ? clients.size : open),
    target: () => open,
    takeDropped: () => 0,
  };
}

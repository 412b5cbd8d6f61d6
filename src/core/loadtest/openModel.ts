import * as http from 'node:http';
import * as https from 'node:https';
import type { ModelRun } from './closedModel';
import { weightedCycle } from './closedModel';
import type { EngineInput, WireRequest } from './protocol';
import type { WindowRecorder } from './recorder';
import type { OpenModel, RateStage } from './types';

/**
 * The arrival schedule of an open model: the time (ms from the start) of the i-th arrival. With
 * stages the rate changes linearly within each stage, so the arrival count is piecewise
 * quadratic in time; its inverse gives each start exactly, with no per-second bursts.
 */
export class ArrivalSchedule {
  private readonly segments: Array<{ t0: number; d: number; r0: number; r1: number; n0: number }> = [];
  readonly total: number;

  constructor(model: Pick<OpenModel, 'rate' | 'stages' | 'durationSec'>) {
    const stages: RateStage[] = model.stages.length > 0 ? model.stages : [{ durationSec: model.durationSec, target: model.rate }];
    let t0 = 0;
    let n0 = 0;
    let r0 = model.stages.length > 0 ? model.rate : model.rate;
    for (const st of stages) {
      const r1 = st.target;
      this.segments.push({ t0, d: st.durationSec, r0, r1, n0 });
      n0 += ((r0 + r1) / 2) * st.durationSec;
      t0 += st.durationSec;
      r0 = r1;
    }
    this.total = Math.floor(n0 + 1e-9);
  }

  /** Seconds from the start at which arrival number `i` (0-based) is due; Infinity past the end. */
  timeOf(i: number): number {
    const n = i + 1e-9;
    for (const s of this.segments) {
      const inSeg = ((s.r0 + s.r1) / 2) * s.d;
      if (n > s.n0 + inSeg) continue;
      const k = n - s.n0;
      const a = (s.r1 - s.r0) / (2 * s.d);
      if (Math.abs(a) < 1e-12) return s.t0 + (s.r0 > 0 ? k / s.r0 : 0);
      return s.t0 + (-s.r0 + Math.sqrt(Math.max(0, s.r0 * s.r0 + 4 * a * k))) / (2 * a);
    }
    return Infinity;
  }

  /** The scheduled rate (req/s) at `t` seconds. */
  rateAt(t: number): number {
    for (const s of this.segments) if (t < s.t0 + s.d) return s.r0 + ((s.r1 - s.r0) * (t - s.t0)) / s.d;
    const last = this.segments[this.segments.length - 1];
    return last ? last.r1 : 0;
  }
}

/**
 * The open model: Shipshape's scheduler starts request i at its due time whether or not earlier
 * ones have finished, and measures latency from that due time — so a server that stalls charges
 * the stall to every request scheduled during it (no coordinated omission, as in wrk2 and k6's
 * arrival-rate executors). When `connections` requests are already in flight, a due start is
 * dropped and counted, like k6's `dropped_iterations`.
 */
export function runOpenModel(input: EngineInput, model: OpenModel, recorder: WindowRecorder, now: () => number): ModelRun {
  const schedule = new ArrivalSchedule(model);
  const cycle = weightedCycle(input.requests);
  const agentOptions = { keepAlive: true, maxSockets: model.connections, maxFreeSockets: model.connections };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent({ ...agentOptions, rejectUnauthorized: false });
  const prepared = new Map<WireRequest, { url: URL; options: http.RequestOptions; body?: Buffer }>();
  for (const r of input.requests) {
    const url = new URL(r.url);
    const body = r.body !== undefined ? Buffer.from(r.body) : undefined;
    const headers: Record<string, string | number> = { ...r.headers };
    if (body) headers['content-length'] = body.length;
    prepared.set(r, { url, body, options: { method: r.method, headers, agent: url.protocol === 'https:' ? httpsAgent : httpAgent, timeout: input.timeoutSec * 1000 } });
  }
  const t0 = now();
  let next = 0;
  let nextAt = schedule.timeOf(0) * 1000;
  let inFlight = 0;
  let dropped = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const live = new Set<http.ClientRequest>();
  const endMs = model.durationSec * 1000;

  const send = (r: WireRequest, dueAbs: number): void => {
    const p = prepared.get(r)!;
    inFlight++;
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      inFlight--;
      live.delete(req);
      if (!stopped) fn();
      maybeDone();
    };
    const mod = p.url.protocol === 'https:' ? https : http;
    const req = mod.request(p.url, p.options, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => finish(() => recorder.response(r.name, res.statusCode ?? 0, (now() - dueAbs) * 1000)));
      res.on('error', (err) => finish(() => recorder.error(r.name, err as NodeJS.ErrnoException)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => finish(() => recorder.error(r.name, err as NodeJS.ErrnoException)));
    live.add(req);
    req.end(p.body);
  };

  const maybeDone = (): void => {
    if ((stopped || next >= schedule.total) && inFlight === 0) resolveDone();
  };

  const pump = (): void => {
    timer = undefined;
    if (stopped) return;
    const elapsed = now() - t0;
    while (next < schedule.total && nextAt <= elapsed) {
      if (inFlight >= model.connections) dropped++;
      else send(cycle[next % cycle.length], t0 + nextAt);
      next++;
      nextAt = schedule.timeOf(next) * 1000;
    }
    if (next >= schedule.total || nextAt > endMs) {
      next = schedule.total;
      maybeDone();
      return;
    }
    const wait = nextAt - (now() - t0);
    // Timers have ~1 ms granularity; below that, yield to I/O and come straight back.
    if (wait < 1) timer = setImmediate(pump) as unknown as NodeJS.Timeout;
    else timer = setTimeout(pump, Math.floor(wait));
  };
  pump();

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) {
        clearTimeout(timer);
        clearImmediate(timer as unknown as NodeJS.Immediate);
      }
      for (const req of live) req.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
      resolveDone();
    },
    done,
    drain() {
      // The schedule ends by itself at its duration; what remains is the requests in flight.
      next = schedule.total;
      if (timer) {
        clearTimeout(timer);
        clearImmediate(timer as unknown as NodeJS.Immediate);
        timer = undefined;
      }
      maybeDone();
      return done;
    },
    inFlight: () => inFlight,
    target: () => Math.round(schedule.rateAt((now() - t0) / 1000) * 10) / 10,
    takeDropped: () => {
      const d = dropped;
      dropped = 0;
      return d;
    },
  };
}

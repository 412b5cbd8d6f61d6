import * as path from 'node:path';
import { describeAnalysisError } from '../core/analyze';
import { quotePath } from '../core/report/quotePath';
import type { FolderAnalysis, PassOutcome } from './folderAnalysis';
import { errorText, ms, type ServerLog } from './log';

export interface SchedulerTiming {
  /** Quiet time after the last keystroke before the edited file is analysed. */
  debounceMs: number;
  /** Quiet time after the last keystroke before the files an edit can affect elsewhere are re-analysed. */
  relatedDelayMs: number;
  /** The shortest slice of a multi-file pass; slices are longer when each analysis run has a high fixed cost. */
  sliceBudgetMs: number;
}

export const DEFAULT_TIMING: SchedulerTiming = { debounceMs: 150, relatedDelayMs: 400, sliceBudgetMs: 100 };

/**
 * `full`: every file of a folder: startup, Scan Workspace, a reload (config, tsconfig,
 * files added/removed, migrations); shown as "analysing".
 * `related`: after edits, the files whose findings an edit can change elsewhere (the files
 * that import the edited ones, and the files that start servers); quiet, and dropped when
 * the user types again (a new one follows).
 */
export type PassKind = 'full' | 'related';

interface Pass {
  folder: FolderAnalysis;
  kind: PassKind;
  /** Files edited (related pass), whose dependents are the targets. */
  seeds: string[];
  targets: string[] | undefined;
  next: number;
  sliceSize: number | undefined;
  started: number;
  busyMs: number;
  slices: number;
  changedFiles: number;
  skipped: PassOutcome['skipped'];
  errors: PassOutcome['errors'];
}

export interface SchedulerEvents {
  /** A full pass started (`analysing`) or the scheduler has nothing left to do (`idle`). */
  onStatus(state: 'analysing' | 'idle', lastDurationMs: number): void;
  /** Files covered by a finished full pass of a folder. */
  onFullPassDone(folder: FolderAnalysis, files: number): void;
}

/**
 * Decides what to analyse when. Everything runs on the server's one thread, so a pass
 * over many files is cut into slices with a yield to the event loop in between: an
 * edit waiting for analysis, a code-action request or a document change is handled at
 * the next slice boundary.
 *
 * Measured on a generated 1,500-file Express + pg API (bench/server-latency.ts), on a
 * 2-core machine under load: a whole-workspace pass costs seconds (3–14 s, depending on the
 * rules of the day), while one run over a single file costs 35–170 ms, most of it a fixed
 * cost every run pays whatever its targets (rules look at every file for servers, routes
 * and shutdown handlers; each edit brings a new type checker). Re-running the workspace
 * after every pause in typing therefore burned seconds of CPU and, sliced, held the next
 * edit back by up to a slice. So:
 *   1. after the debounce, the edited file alone: its squiggles in debounce + one run;
 *   2. once typing pauses (`relatedDelayMs`), the files the edit can change findings in
 *      (importers, transitively, and files that start servers: FolderAnalysis.affectedBy),
 *      usually a handful (one run), for a file everything imports most of the project
 *      (sliced; an edit then waits for one slice at most);
 *   3. the whole workspace only at startup, on Scan Workspace and when the project changes.
 * Slices are sized from measured run costs: at least `sliceBudgetMs` and twice the fixed
 * cost, growing or shrinking by at most 2x from one slice to the next.
 */
export class AnalysisScheduler {
  private readonly edited = new Map<FolderAnalysis, Set<string>>();
  private readonly ready = new Map<FolderAnalysis, Set<string>>();
  private readonly relatedSeeds = new Map<FolderAnalysis, Set<string>>();
  private readonly queued = new Map<FolderAnalysis, Pass>();
  private current: Pass | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private relatedTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private idleWaiters: Array<() => void> = [];
  private lastDurationMs = 0;
  private disposed = false;
  private readonly loggedRuleErrors = new Set<string>();
  /** Running estimates: fixed cost of one analysis run, and cost per target file (ms). */
  private runOverheadMs: number | undefined;
  private perFileMs: number | undefined;
  /** When a file was last edited (performance.now()), for work that should wait until typing pauses. */
  private lastEditAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly log: ServerLog,
    private readonly events: SchedulerEvents,
    private readonly timing: SchedulerTiming = DEFAULT_TIMING,
  ) {}

  /** A buffer changed (or was closed unsaved, or a file changed on disk): analyse it soon, then what it affects. */
  fileEdited(folder: FolderAnalysis, file: string): void {
    if (this.disposed) return;
    this.lastEditAt = performance.now();
    addTo(this.edited, folder, file);
    addTo(this.relatedSeeds, folder, file);
    // Typing again makes a running related pass stale; a new one is scheduled below.
    if (this.current?.kind === 'related') {
      for (const seed of this.current.seeds) addTo(this.relatedSeeds, this.current.folder, seed);
      this.current = undefined;
    }
    for (const [f, pass] of this.queued) {
      if (pass.kind !== 'related') continue;
      for (const seed of pass.seeds) addTo(this.relatedSeeds, f, seed);
      this.queued.delete(f);
    }
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      for (const [f, files] of this.edited) for (const file of files) addTo(this.ready, f, file);
      this.edited.clear();
      this.pump();
    }, this.timing.debounceMs);
    clearTimeout(this.relatedTimer);
    this.relatedTimer = setTimeout(() => {
      for (const [f, seeds] of this.relatedSeeds) if (!this.queued.has(f)) this.queued.set(f, newPass(f, 'related', [...seeds]));
      this.relatedSeeds.clear();
      this.pump();
    }, this.timing.relatedDelayMs);
  }

  /** Analyse every file of a folder; supersedes a running or queued pass of the same folder. */
  requestFullPass(folder: FolderAnalysis): void {
    if (this.disposed) return;
    if (this.current?.folder === folder) this.current = undefined;
    this.relatedSeeds.delete(folder);
    this.queued.set(folder, newPass(folder, 'full', []));
    this.pump();
  }

  /** Forget a folder (removed from the workspace). */
  drop(folder: FolderAnalysis): void {
    this.edited.delete(folder);
    this.ready.delete(folder);
    this.relatedSeeds.delete(folder);
    this.queued.delete(folder);
    if (this.current?.folder === folder) this.current = undefined;
  }

  /** Resolves when nothing is queued, running or waiting for its debounce. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.debounceTimer);
    clearTimeout(this.relatedTimer);
    this.current = undefined;
    this.queued.clear();
    this.resolveIdle();
  }

  /** Time since the last edit (Infinity before the first). */
  msSinceLastEdit(): number {
    return performance.now() - this.lastEditAt;
  }

  /** Nothing queued, running or waiting for its debounce. */
  isIdle(): boolean {
    return !this.current && this.queued.size === 0 && this.ready.size === 0 && this.edited.size === 0 && this.relatedSeeds.size === 0;
  }

  private pump(): void {
    if (this.pumping || this.disposed) return;
    this.pumping = true;
    void this.run().finally(() => {
      this.pumping = false;
      if (this.isIdle()) this.resolveIdle();
    });
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.disposed) return;
      if (this.ready.size > 0) {
        this.runEditedFiles();
      } else if (this.current) {
        this.step(this.current);
      } else if (this.queued.size > 0) {
        const [folder, pass] = this.queued.entries().next().value as [FolderAnalysis, Pass];
        this.queued.delete(folder);
        this.current = pass;
        if (pass.kind === 'full') {
          this.loggedRuleErrors.clear();
          this.events.onStatus('analysing', this.lastDurationMs);
        }
      } else {
        if (this.edited.size === 0) this.events.onStatus('idle', this.lastDurationMs);
        return;
      }
      // Let queued messages (edits, code actions, cancellations) in before the next step.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private runEditedFiles(): void {
    const work = [...this.ready];
    this.ready.clear();
    for (const [folder, files] of work) {
      if (!folder.isLoaded()) continue;
      // A file outside the project (excluded, or new and not yet seen by the watcher) has nothing to report.
      const targets = [...files].filter((f) => folder.isWorkspaceTarget(f));
      if (targets.length === 0) continue;
      const outcome = this.analyse(folder, targets);
      if (!outcome) continue;
      this.lastDurationMs = outcome.durationMs;
      folder.logSkipped(outcome.skipped.filter((s) => files.has(s.file)));
      this.logAnalysisErrors(folder, outcome.errors);
    }
  }

  /** One step of a pass: compute its targets (building the program), or analyse its next slice. */
  private step(pass: Pass): void {
    const { folder } = pass;
    if (!folder.isLoaded()) {
      this.current = undefined;
      return;
    }
    if (!pass.targets) {
      try {
        // Builds the program here, so the first slice's time is the analysis alone.
        const started = performance.now();
        folder.prepareProgram();
        pass.busyMs += performance.now() - started;
        pass.targets = pass.kind === 'full' ? folder.workspaceTargets() : folder.affectedBy(pass.seeds);
      } catch (err) {
        this.log.error(`${folder.name}: could not work out what to analyse: ${errorText(err)}`);
        this.current = undefined;
        return;
      }
      if (pass.kind === 'full') this.log.info(`${folder.name}: analysing ${pass.targets.length} files`);
      return;
    }
    // A full pass starts with one file: that run's time is the fixed cost every run pays.
    const size = pass.kind === 'full' && pass.slices === 0 ? 1 : (pass.sliceSize ?? this.initialSliceSize());
    const slice = pass.targets.slice(pass.next, pass.next + size);
    pass.next += slice.length;
    pass.slices++;
    if (slice.length > 0) {
      const outcome = this.analyse(folder, slice);
      if (slice.length > 1) pass.sliceSize = this.nextSliceSize(slice.length, outcome?.durationMs ?? this.timing.sliceBudgetMs);
      if (outcome) {
        pass.busyMs += outcome.durationMs;
        pass.changedFiles += outcome.changedFiles;
        if (pass.slices === 1) pass.skipped = outcome.skipped;
        pass.errors.push(...outcome.errors);
      }
    }
    if (pass.next < pass.targets.length) return;
    this.current = undefined;
    const wall = performance.now() - pass.started;
    this.lastDurationMs = wall;
    {
      this.log.info(
        `${folder.name}: ${pass.kind === 'full' ? 'analysed' : 're-analysed, after edits to ' + pass.seeds.map((s) => path.relative(folder.root, s)).join(', ') + ','} ` +
          `${pass.targets.length} files in ${ms(wall)} (${pass.slices} slices, ${ms(pass.busyMs)} busy): ${folder.findingCount()} findings, ` +
          `${pass.skipped.length} files skipped, ${pass.changedFiles} files' diagnostics changed`,
      );
    }
    folder.logSkipped(pass.skipped, pass.kind === 'full');
    this.logAnalysisErrors(folder, pass.errors);
    if (pass.kind === 'full') this.events.onFullPassDone(folder, pass.targets.length);
  }

  private analyse(folder: FolderAnalysis, targets: string[]): PassOutcome | undefined {
    try {
      const outcome = folder.analyse(targets);
      this.learn(targets.length, outcome.durationMs);
      return outcome;
    } catch (err) {
      this.log.error(`${folder.name}: analysis of ${targets.length} files failed; their last results stay. ${errorText(err)}`);
      return undefined;
    }
  }

  /** Keeps estimates of the fixed cost per run and the cost per file from what runs took. */
  private learn(files: number, tookMs: number): void {
    const ema = (prev: number | undefined, value: number) => (prev === undefined ? value : prev * 0.7 + value * 0.3);
    if (files <= 2) this.runOverheadMs = ema(this.runOverheadMs, tookMs);
    else if (files >= 10 && this.runOverheadMs !== undefined) this.perFileMs = ema(this.perFileMs, Math.max(0.05, (tookMs - this.runOverheadMs) / files));
  }

  /** How long a slice should take: at least the budget, and at least twice a run's fixed cost (so that cost stays under half of the work). */
  private sliceTargetMs(): number {
    return Math.max(this.timing.sliceBudgetMs, 2 * (this.runOverheadMs ?? 0));
  }

  private initialSliceSize(): number {
    if (this.perFileMs === undefined) return 25;
    return clampSlice(Math.round((this.sliceTargetMs() - (this.runOverheadMs ?? 0)) / this.perFileMs));
  }

  /**
   * Files cost very different amounts (the file with the listen call costs most), so a slice
   * grows or shrinks from the last one's time by at most a factor of two, never jumping to
   * a size that would hold edits back for seconds.
   */
  private nextSliceSize(size: number, tookMs: number): number {
    const scale = Math.max(0.5, Math.min(2, this.sliceTargetMs() / Math.max(tookMs, 1)));
    return clampSlice(Math.round(size * scale));
  }

  /** Each distinct failure once per full pass: a broken rule or file must not flood the output on every keystroke. */
  private logAnalysisErrors(folder: FolderAnalysis, errors: PassOutcome['errors']): void {
    for (const e of errors) {
      const key = `${folder.root}\0${e.ruleId}\0${e.file}\0${e.message}`;
      if (this.loggedRuleErrors.has(key)) continue;
      this.loggedRuleErrors.add(key);
      this.log.error(`${folder.name}: ${describeAnalysisError(e, (file) => quotePath(path.relative(folder.root, file)))}`);
    }
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

const MIN_SLICE = 5;
const MAX_SLICE = 400;

function clampSlice(n: number): number {
  return Math.max(MIN_SLICE, Math.min(MAX_SLICE, n));
}

function newPass(folder: FolderAnalysis, kind: PassKind, seeds: string[]): Pass {
  return { folder, kind, seeds, targets: undefined, next: 0, sliceSize: undefined, started: performance.now(), busyMs: 0, slices: 0, changedFiles: 0, skipped: [], errors: [] };
}

function addTo<K>(map: Map<K, Set<string>>, key: K, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

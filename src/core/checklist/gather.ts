import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import ts from 'typescript';
import type { Finding } from '../finding';
import type { ProjectModel } from '../project/project';
import { emptyCodeFacts, mergeCodeFacts, type CiFacts, type CodeFacts, type DockerfileFacts, type HttpFacts, type Located, type ManifestFacts, type RepoFacts, type WorkspaceFacts } from './facts';
import { DEFAULT_HEALTH_PATHS, isTestFile, ProvenanceResolver, scanHttp } from './facts/analysisParts';
import { ciSystemOf, isDependencyBotConfig, mergeCiFacts, readCiFile } from './facts/ci';
import { collectCodeFacts } from './facts/code';
import { isDockerfile, parseDockerfile } from './facts/dockerfile';
import { readLoadRuns } from './facts/loadRuns';
import { emptyManifestFacts, mergeManifestFacts, readManifestFile } from './facts/manifests';
import { classifyPath, findSecrets, gitIndexPaths, jsonKeyLines } from './facts/repo';
import { CAPABILITY_PACKAGES } from './libraries';

export interface GatherInput {
  project: ProjectModel;
  /** The analysis program (the language server's, or one built for the run). */
  program: ts.Program;
  /** Findings of the whole-workspace analysis. */
  findings: readonly Finding[];
  /** Rule ids registered in this build, and those that ran (not turned off). */
  registeredRules: readonly string[];
  ranRules: readonly string[];
}

/** What one non-TypeScript file contributes; cached by the file's mtime and size. */
interface FileContribution {
  key: string;
  dockerfile?: DockerfileFacts;
  manifests?: ManifestFacts;
  ci?: CiFacts;
  problem?: Located & { note: string };
  secrets: Array<Located & { kind: string }>;
  readme?: RepoFacts['readme'];
  coverageThreshold?: Located & { text: string };
  chartFile?: boolean;
  backups: Array<Located & { text: string }>;
}

const MAX_TEXT_BYTES = 512 * 1024;
/** One-off scripts, seeds, migrations and tool folders: they run by hand, never serve a request. */
const NON_SERVICE = /(^|\/)(scripts?|tools|seeds?|seeders|seeding|migrations?|fixtures|\.[^/]+)\/|(^|\/)seed[^/]*\.[cm]?[jt]s$|\.seed\.[cm]?[jt]s$/;

export function isServiceFile(root: string, file: string): boolean {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return !isTestFile(root, file) && !NON_SERVICE.test(rel);
}
const YAML = /\.ya?ml$/i;
const TEXT_FOR_SECRETS = /\.([cm]?[jt]sx?|json|ya?ml|env|tf|tfvars|properties|ini|toml|sh|conf|cfg|xml|pem|key)$|^\.env/i;

/**
 * Gathers WorkspaceFacts, keeping per-file results between calls: a TypeScript file is re-read
 * when its SourceFile changed (the program host reuses unchanged ones), any other file when its
 * mtime or size changed. One instance lives per workspace folder in the language server; the
 * CLI uses a fresh one.
 */
export class ChecklistFactsCollector {
  private readonly code = new Map<string, { sf: ts.SourceFile; facts: CodeFacts; testImports: Map<string, Located[]>; problem?: string }>();
  private readonly files = new Map<string, FileContribution>();
  /** One resolver per checker: its cache holds across files and across the slices of readCode. */
  private provenance: { checker: ts.TypeChecker; resolver: ProvenanceResolver } | undefined;

  private provenanceFor(checker: ts.TypeChecker): ProvenanceResolver {
    if (this.provenance?.checker !== checker) this.provenance = { checker, resolver: new ProvenanceResolver(checker) };
    return this.provenance.resolver;
  }

  /**
   * Reads the code facts of the TypeScript files whose SourceFile changed since they were read,
   * until `deadline` (a `performance.now()` time) if given. Returns true when every file is
   * read. The language server calls it in slices between edits: the first read of a large
   * workspace type-checks most of its calls (seconds on 1,500 files), which must not hold up
   * the squiggles of someone typing; gather() then only reads what is left.
   */
  readCode(project: ProjectModel, program: ts.Program, deadline = Infinity): boolean {
    const checker = program.getTypeChecker();
    const provenance = this.provenanceFor(checker);
    for (const file of project.files.ts) {
      if (file.endsWith('.d.ts')) continue;
      const sf = program.getSourceFile(file);
      if (!sf) continue;
      const cached = this.code.get(file);
      if (cached && cached.sf === sf) continue;
      if (performance.now() > deadline) return false;
      const isTest = !isServiceFile(project.root, file);
      try {
        this.code.set(file, { sf, ...collectCodeFacts(sf, { checker, provenance, isTest }) });
      } catch (err) {
        this.code.set(file, { sf, facts: emptyCodeFacts(), testImports: new Map(), problem: (err as Error).message });
      }
    }
    return true;
  }

  gather(input: GatherInput): WorkspaceFacts {
    const { project, program } = input;
    const root = project.root;
    const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
    const problems: WorkspaceFacts['problems'] = [];
    const scripts = project.packageJson?.scripts ?? {};
    const scriptsKey = JSON.stringify(scripts);

    // package.json: present but unreadable is a problem worth a note on every item that needs it.
    const packageFile = path.join(root, 'package.json');
    let packageText: string | undefined;
    try {
      packageText = fs.readFileSync(packageFile, 'utf8');
    } catch {
      packageText = undefined;
    }
    if (packageText !== undefined && !project.packageJson) problems.push({ file: packageFile, line: 0, note: 'package.json is not valid JSON; dependencies and scripts could not be read. Fix its syntax.' });

    // TypeScript: code facts per file, by provenance.
    const checker = program.getTypeChecker();
    const provenance = this.provenanceFor(checker);
    this.readCode(project, program);
    const seen = new Set<string>();
    const sources: ts.SourceFile[] = [];
    for (const file of project.files.ts) {
      if (file.endsWith('.d.ts')) continue;
      const sf = program.getSourceFile(file);
      if (!sf) continue;
      seen.add(file);
      if (isServiceFile(root, file)) sources.push(sf);
      const problem = this.code.get(file)?.problem;
      if (problem) problems.push({ file, line: 0, note: `Shipshape could not read ${rel(file)} for the checklist (${problem}); the other files were read.` });
    }
    for (const file of [...this.code.keys()]) if (!seen.has(file)) this.code.delete(file);
    const code = mergeCodeFacts([...this.code.values()].map((c) => c.facts));
    const testImports = new Map<string, Located[]>();
    for (const c of this.code.values()) for (const [m, locs] of c.testImports) testImports.set(m, [...(testImports.get(m) ?? []), ...locs]);

    // Every other file: Dockerfiles, YAML, docs, configs.
    const otherSeen = new Set<string>();
    const repo: RepoFacts = {
      openApi: [], architectureDocs: [], runbooks: [], onCallDocs: [], testFiles: [], integrationTestFiles: [], testRunners: [], coverageThresholds: [],
      coverageCollected: [], envFilesNotIgnored: [], envFilesTracked: [], secretMatches: [], loadTestFiles: [], platformConfigs: [], migrationFiles: [], scripts,
      packageJson: project.packageJson ? packageFile : undefined, packageJsonLines: new Map(),
    };
    const contributions: FileContribution[] = [];
    const chartDirs = new Set(project.files.other.filter((f) => path.basename(f) === 'Chart.yaml').map((f) => path.dirname(f)));
    const isMigration = picomatch(project.config.migrations, { dot: true });
    for (const file of [...project.files.ts, ...project.files.sql, ...project.files.other]) {
      const r = rel(file);
      const cls = classifyPath(r);
      if (cls.test) repo.testFiles.push(file);
      if (cls.integrationTest) repo.integrationTestFiles.push(file);
      if (cls.openApi) repo.openApi.push({ file, line: 0 });
      if (cls.architecture) repo.architectureDocs.push({ file, line: 0 });
      if (cls.runbook) repo.runbooks.push({ file, line: 0 });
      if (cls.onCall) repo.onCallDocs.push({ file, line: 0 });
      if (cls.loadTest) repo.loadTestFiles.push({ file, line: 0 });
      if (cls.platform) repo.platformConfigs.push({ file, line: 0 });
      if (cls.envFile) repo.envFilesNotIgnored.push(file);
      if (file.endsWith('.sql') ? isMigration(r) : /(^|\/)migrations?\/[^/]+\.[cm]?[jt]s$/.test(r)) repo.migrationFiles.push(file);
      if (file.endsWith('.ts') || file.endsWith('.sql')) {
        if (!(cls.secretsScanned && TEXT_FOR_SECRETS.test(path.basename(file)))) continue;
      }
      const c = this.contribution(file, r, cls, chartDirs, scriptsKey, scripts);
      if (!c) continue;
      otherSeen.add(file);
      contributions.push(c);
    }
    for (const file of [...this.files.keys()]) if (!otherSeen.has(file)) this.files.delete(file);

    const dockerfiles = contributions.flatMap((c) => (c.dockerfile ? [c.dockerfile] : []));
    const manifests = mergeManifestFacts(contributions.flatMap((c) => (c.manifests ? [c.manifests] : [])));
    manifests.helmCharts.push(...contributions.filter((c) => c.chartFile).map((c) => ({ file: c.key.split('|')[0], line: 0 })));
    manifests.backups.push(...contributions.flatMap((c) => c.backups));
    const ci = mergeCiFacts(contributions.flatMap((c) => (c.ci ? [c.ci] : [])));
    for (const c of contributions) {
      if (c.problem) problems.push(c.problem);
      repo.secretMatches.push(...c.secrets);
      if (c.readme && !repo.readme) repo.readme = c.readme;
      if (c.coverageThreshold) repo.coverageThresholds.push(c.coverageThreshold);
    }
    for (const f of project.files.other) if (isDependencyBotConfig(rel(f))) ci.dependencyBots.push({ file: f, line: 0 });

    // package.json: runners, coverage, key lines for evidence.
    const deps = project.packageJson?.dependencies ?? new Map<string, string>();
    if (packageText && project.packageJson) {
      repo.packageJsonLines = jsonKeyLines(packageText, [...deps.keys(), 'scripts', 'jest', 'c8', 'nyc', 'coverageThreshold', ...Object.keys(scripts)]);
      const at = (key: string): Located => ({ file: packageFile, line: repo.packageJsonLines.get(key) ?? 0 });
      for (const runner of CAPABILITY_PACKAGES.testRunners) if (deps.has(runner)) repo.testRunners.push({ ...at(runner), name: runner });
      for (const [name, body] of Object.entries(scripts)) {
        if (/node\s+(--\S+\s+)*--test\b|tsx\s+--test/.test(body)) repo.testRunners.push({ ...at(name), name: 'node:test' });
        if (/--check-coverage|--coverage\.thresholds|--coverageThreshold|--lines[ =]\d|--branches[ =]\d/.test(body)) repo.coverageThresholds.push({ ...at(name), text: `"${name}": ${body.slice(0, 80)}` });
        if (/--coverage|\bc8\b|\bnyc\b|--experimental-test-coverage|collectCoverage/.test(body)) repo.coverageCollected.push({ ...at(name), text: `"${name}": ${body.slice(0, 80)}` });
      }
      if (/"coverageThreshold"\s*:/.test(packageText)) repo.coverageThresholds.push({ ...at('coverageThreshold'), text: 'jest.coverageThreshold in package.json' });
    }
    const tracked = gitIndexPaths(root);
    if (tracked) repo.envFilesTracked = tracked.filter((p) => classifyPath(p).envFile).map((p) => path.join(root, p));

    // HTTP: servers, health and metrics routes, the routes probes point at, the shutdown deadline.
    const probePaths = [...new Set(manifests.workloads.flatMap((w) => w.containers.flatMap((c) => [c.liveness, c.readiness, c.startup].flatMap((p) => (p?.path ? [p.path] : [])))))].filter((p) => p.startsWith('/') && !p.includes('HELM_VALUE'));
    const healthPaths = project.config.healthPaths.length ? project.config.healthPaths : DEFAULT_HEALTH_PATHS;
    const http = this.httpFacts(checker, provenance, root, sources, healthPaths, probePaths, problems);

    const findings = new Map<string, Finding[]>();
    for (const f of input.findings) findings.set(f.ruleId, [...(findings.get(f.ruleId) ?? []), f]);
    const runs = readLoadRuns(root);
    problems.push(...runs.problems);
    // The resolver holds the checker, and through it the whole program: not past this call.
    this.provenance = undefined;
    return {
      root,
      dependencies: deps,
      frameworks: [...new Set([...project.frameworks, ...http.servers.map((s) => s.framework)])],
      dbLibraries: [...project.dbLibraries],
      code: { ...code, calls: code.calls, mounted: code.mounted, imports: mergeImports(code.imports, testImports) },
      http,
      dockerfiles,
      manifests,
      ci,
      repo,
      loadRuns: runs.facts,
      analyzers: { findings, registered: new Set(input.registeredRules), ran: new Set(input.ranRules) },
      serviceFile: (file: string) => isServiceFile(root, file),
      problems,
    };
  }

  private httpFacts(checker: ts.TypeChecker, provenance: ProvenanceResolver, root: string, sources: ts.SourceFile[], healthPaths: readonly string[], probePaths: string[], problems: WorkspaceFacts['problems']): HttpFacts {
    const http: HttpFacts = { servers: [], healthRoutes: [], metricsRoutes: [], servedProbePaths: new Map() };
    let scan;
    try {
      scan = scanHttp(checker, provenance, root, sources, [...new Set([...healthPaths, '/metrics', ...probePaths])]);
    } catch (err) {
      problems.push({ file: root, line: 0, note: `Shipshape could not read the project's routes for the checklist (${(err as Error).message}).` });
      return http;
    }
    const loc = (n: ts.Node): Located => {
      const sf = n.getSourceFile();
      return { file: sf.fileName, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line };
    };
    http.servers = scan.servers.map((s) => ({ ...loc(s.node), framework: s.framework }));
    for (const r of scan.routes) {
      const entry = { ...loc(r.node), path: r.path };
      if (r.matched === '/metrics') http.metricsRoutes.push(entry);
      if (healthPaths.includes(r.matched)) http.healthRoutes.push(entry);
      if (probePaths.includes(r.matched) && !http.servedProbePaths.has(r.matched)) http.servedProbePaths.set(r.matched, entry);
    }
    for (const node of scan.shutdownHandlers) {
      const ms = largestTimeout(checker, node);
      if (ms !== undefined && (!http.shutdownDeadline || ms.ms > http.shutdownDeadline.ms)) http.shutdownDeadline = { ...loc(ms.node), ms: ms.ms };
    }
    return http;
  }

  private contribution(file: string, rel: string, cls: ReturnType<typeof classifyPath>, chartDirs: Set<string>, scriptsKey: string, scripts: Record<string, string>): FileContribution | undefined {
    const base = path.basename(file);
    const docker = isDockerfile(base);
    const ciSystem = ciSystemOf(rel);
    const yaml = YAML.test(base);
    const wantsSecrets = cls.secretsScanned && TEXT_FOR_SECRETS.test(base);
    const chart = base === 'Chart.yaml';
    const terraform = /\.tf$/.test(base);
    if (!docker && !ciSystem && !yaml && !cls.readme && !cls.coverageConfig && !wantsSecrets && !terraform) return undefined;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    const key = `${file}|${stat.mtimeMs}:${stat.size}|${ciSystem ? scriptsKey : ''}`;
    const cached = this.files.get(file);
    if (cached && cached.key === key) return cached;
    const c: FileContribution = { key, secrets: [], backups: [], chartFile: chart };
    if (stat.size > MAX_TEXT_BYTES) {
      this.files.set(file, c);
      return c;
    }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      if (docker) {
        const d = parseDockerfile(file, text);
        c.dockerfile = d.facts;
        c.problem = d.problem;
      } else if (ciSystem) {
        const r = readCiFile(file, rel, text, scripts);
        c.ci = r.facts;
        c.problem = r.problem;
      } else if (yaml && !chart && !isDependencyBotConfig(rel) && !/^(\.github|\.gitlab)\//.test(rel) && !/(^|\/)(pnpm-lock|\.?yarn|openapi|swagger)[^/]*\.ya?ml$/i.test(rel)) {
        const helm = [...chartDirs].some((d) => file.startsWith(path.join(d, 'templates') + path.sep));
        const r = readManifestFile(file, text, helm);
        c.manifests = r.facts;
        c.problem = r.problem;
      }
      if (cls.readme) c.readme = { file, line: 0, chars: text.trim().length, hasRunInstructions: /\b(npm|pnpm|yarn|bun)\s+(run|start|install|ci|i|dev)\b|docker(-|\s)compose|docker\s+run|^#+\s*(getting started|usage|run|running|setup|install|installation|development|quick ?start)/im.test(text) };
      if (cls.coverageConfig && /coverageThreshold|thresholds\s*:|check-coverage|"lines"\s*:|\blines\s*:\s*\d/.test(text)) {
        const line = text.split('\n').findIndex((l) => /coverageThreshold|thresholds|check-coverage|lines/.test(l));
        c.coverageThreshold = { file, line: Math.max(0, line), text: `${base}: ${text.split('\n')[Math.max(0, line)].trim().slice(0, 80)}` };
      }
      if (wantsSecrets) c.secrets = findSecrets(file, text);
      if (terraform && /backup_retention_period|point_in_time_recovery|backup_configuration|aws_backup_plan/.test(text)) {
        const line = text.split('\n').findIndex((l) => /backup_retention_period|point_in_time_recovery|backup_configuration|aws_backup_plan/.test(l));
        c.backups.push({ file, line, text: text.split('\n')[line].trim().slice(0, 100) });
      }
    } catch (err) {
      c.problem = { file, line: 0, note: `Shipshape could not read ${rel} (${(err as Error).message}); it was skipped.` };
    }
    this.files.set(file, c);
    return c;
  }
}

function mergeImports(a: Map<string, Located[]>, b: Map<string, Located[]>): Map<string, Located[]> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, [...(out.get(k) ?? []), ...v]);
  return out;
}

/** The largest `setTimeout(…, N)` (N ≥ 1 s) in a SIGTERM path's registration or the function it names. */
function largestTimeout(checker: ts.TypeChecker, registration: ts.Node): { ms: number; node: ts.Node } | undefined {
  let best: { ms: number; node: ts.Node } | undefined;
  const visited = new Set<ts.Node>();
  const walk = (n: ts.Node, depth: number): void => {
    if (visited.has(n) || depth > 3) return;
    visited.add(n);
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'setTimeout' && n.arguments[1]) {
      const value = numericValue(checker, n.arguments[1]);
      if (value !== undefined && value >= 1000 && (!best || value > best.ms)) best = { ms: value, node: n };
    }
    if (ts.isIdentifier(n) && depth < 3) {
      const decl = checker.getSymbolAtLocation(n)?.declarations?.[0];
      if (decl && !decl.getSourceFile().isDeclarationFile && (ts.isFunctionDeclaration(decl) || (ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))))) walk(decl, depth + 1);
    }
    ts.forEachChild(n, (c) => walk(c, depth));
  };
  walk(registration, 0);
  return best;
}

function numericValue(checker: ts.TypeChecker, expr: ts.Expression): number | undefined {
  if (ts.isNumericLiteral(expr)) return Number(expr.text.replace(/_/g, ''));
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const l = numericValue(checker, expr.left);
    const r = numericValue(checker, expr.right);
    return l !== undefined && r !== undefined ? l * r : undefined;
  }
  if (ts.isIdentifier(expr)) {
    const decl = checker.getSymbolAtLocation(expr)?.declarations?.[0];
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return numericValue(checker, decl.initializer);
  }
  return undefined;
}

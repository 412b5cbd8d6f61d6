import * as path from 'node:path';
import { isMap, isSeq } from 'yaml';
import type { ContainerFacts, Located, ManifestFacts, ProbeFacts, WorkloadFacts } from '../facts';
import { entries, fillHelmPlaceholders, items, nodeAt, parseYaml, stringAt, strings, type YamlDoc } from './yamlFiles';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout', 'DeploymentConfig']);
const MIGRATE = /\b(migrate|migration:run|migrations?:(up|latest|run)|db:migrate|prisma\s+migrate\s+deploy|dbmate\s+up|flyway)/i;
const BACKUP = /\b(pg_dump|pg_basebackup|pgbackrest|wal-g|wal-e|barman|velero|backup_retention_period|backupRetentionPeriod|point_in_time_recovery|ScheduledBackup)\b/;

export function emptyManifestFacts(): ManifestFacts {
  return { workloads: [], compose: [], ingresses: [], migrationJobs: [], disruptionBudgets: [], alertRules: [], backups: [], helmCharts: [] };
}

export function isComposeFile(base: string): boolean {
  return /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/i.test(base);
}

/**
 * Kubernetes manifests (any YAML with apiVersion and kind), Helm templates (placeholders
 * filled), docker-compose files and Prometheus rule files, read with `yaml`.
 */
export function readManifestFile(file: string, text: string, helmTemplate: boolean): { facts: ManifestFacts; problem?: Located & { note: string } } {
  const facts = emptyManifestFacts();
  const parsed = parseYaml(helmTemplate ? fillHelmPlaceholders(text) : text);
  const base = path.basename(file);
  let problem: (Located & { note: string }) | undefined;
  if (parsed.error) {
    problem = helmTemplate
      ? { file, line: parsed.error.line, note: `${base}: this Helm template could not be read even with its {{ }} placeholders filled (${parsed.error.message}); its probes and strategy are not checked. Run \`helm template\` and commit the rendered manifest if you want them checked.` }
      : { file, line: parsed.error.line, note: `${base} is not valid YAML at line ${parsed.error.line + 1} (${parsed.error.message}); it was skipped. Fix the syntax to have it checked.` };
  }
  for (const d of parsed.docs) {
    const root = d.doc.contents;
    if (!isMap(root)) continue;
    const kind = stringAt(root, ['kind']);
    if (kind && stringAt(root, ['apiVersion'])) readK8s(file, d, root, kind, helmTemplate, facts);
    else if (isComposeFile(base) || (nodeAt(root, ['services']) && isMap(nodeAt(root, ['services'])) && !kind)) readCompose(file, d, root, facts);
    else if (isSeq(nodeAt(root, ['groups']))) {
      for (const g of items(nodeAt(root, ['groups']))) for (const r of items(nodeAt(g, ['rules']))) if (stringAt(r, ['alert'])) facts.alertRules.push({ file, line: d.at(r) });
    }
    for (const s of strings(root, d.at)) if (BACKUP.test(s.text)) facts.backups.push({ file, line: s.line, text: s.text.slice(0, 100) });
  }
  return { facts, problem };
}

function readK8s(file: string, d: YamlDoc, root: unknown, kind: string, helm: boolean, facts: ManifestFacts): void {
  const line = d.at(root);
  const name = stringAt(root, ['metadata', 'name']) ?? '?';
  if (kind === 'Ingress') {
    const annotations = entries(nodeAt(root, ['metadata', 'annotations'])).map(([k]) => k);
    facts.ingresses.push({ file, line, tls: Boolean(nodeAt(root, ['spec', 'tls'])), rateLimit: annotations.some((a) => /limit-(rps|rpm|connections)|rate-?limit/i.test(a)) });
    return;
  }
  if (kind === 'PodDisruptionBudget') facts.disruptionBudgets.push({ file, line });
  if (kind === 'PrometheusRule') facts.alertRules.push({ file, line });
  if (/^(ScheduledBackup|Backup|Schedule)$/.test(kind) && /postgresql\.cnpg\.io|velero\.io/.test(stringAt(root, ['apiVersion']) ?? '')) facts.backups.push({ file, line, text: `${kind} ${name}` });
  if (!WORKLOAD_KINDS.has(kind)) return;
  const podSpecPath = kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
  const podSpec = nodeAt(root, podSpecPath);
  const annotations = entries(nodeAt(root, ['metadata', 'annotations']));
  const isHook = annotations.some(([k]) => k === 'helm.sh/hook');
  const containers: ContainerFacts[] = [];
  for (const [field, init] of [['containers', false], ['initContainers', true]] as const) {
    for (const c of items(nodeAt(podSpec, [field]))) {
      const commandText = [...items(nodeAt(c, ['command'])), ...items(nodeAt(c, ['args']))].map((n) => String((n as { value?: unknown }).value ?? '')).join(' ');
      const container: ContainerFacts = {
        file, line: d.at(c), name: stringAt(c, ['name']) ?? '?', init, commandText,
        liveness: probe(file, d, nodeAt(c, ['livenessProbe'])),
        readiness: probe(file, d, nodeAt(c, ['readinessProbe'])),
        startup: probe(file, d, nodeAt(c, ['startupProbe'])),
        hasResources: Boolean(nodeAt(c, ['resources', 'requests']) || nodeAt(c, ['resources', 'limits'])),
        runAsNonRoot: nonRoot(nodeAt(c, ['securityContext'])),
      };
      containers.push(container);
      if ((init || kind === 'Job' || isHook) && MIGRATE.test(commandText)) facts.migrationJobs.push({ file, line: container.line, text: commandText.slice(0, 100) });
    }
  }
  if (kind === 'CronJob') {
    for (const s of strings(podSpec, d.at)) if (BACKUP.test(s.text)) facts.backups.push({ file, line: s.line, text: s.text.slice(0, 100) });
  }
  const strategyNode = nodeAt(root, ['spec', 'strategy']) ?? nodeAt(root, ['spec', 'updateStrategy']);
  const type = stringAt(strategyNode, ['type']);
  const graceNode = nodeAt(podSpec, ['terminationGracePeriodSeconds']);
  const grace = Number(stringAt(podSpec, ['terminationGracePeriodSeconds']));
  const replicas = Number(stringAt(root, ['spec', 'replicas']));
  const workload: WorkloadFacts = {
    file, line, kind, name, helm, containers,
    replicas: Number.isFinite(replicas) && stringAt(root, ['spec', 'replicas']) !== undefined ? replicas : undefined,
    strategy: strategyNode ? { file, line: d.at(strategyNode), type: type ?? (kind === 'Rollout' ? 'Canary/BlueGreen' : 'RollingUpdate'), maxUnavailable: stringAt(strategyNode, ['rollingUpdate', 'maxUnavailable']) } : undefined,
    terminationGracePeriodSeconds: graceNode && Number.isFinite(grace) ? { file, line: d.at(graceNode), value: grace } : undefined,
    podRunAsNonRoot: nonRoot(nodeAt(podSpec, ['securityContext'])),
  };
  facts.workloads.push(workload);
}

function probe(file: string, d: YamlDoc, node: unknown): ProbeFacts | undefined {
  if (!node) return undefined;
  const line = d.at(node);
  if (nodeAt(node, ['httpGet'])) return { file, line, kind: 'httpGet', path: stringAt(node, ['httpGet', 'path']) ?? '/' };
  if (nodeAt(node, ['tcpSocket'])) return { file, line, kind: 'tcpSocket' };
  if (nodeAt(node, ['exec'])) return { file, line, kind: 'exec' };
  if (nodeAt(node, ['grpc'])) return { file, line, kind: 'grpc' };
  return { file, line, kind: 'unknown' };
}

function nonRoot(ctx: unknown): boolean | undefined {
  if (!ctx) return undefined;
  const flag = stringAt(ctx, ['runAsNonRoot']);
  const user = stringAt(ctx, ['runAsUser']);
  if (flag === 'true' || (user !== undefined && user !== '0' && user !== 'HELM_VALUE')) return true;
  if (flag === 'false' || user === '0') return false;
  return undefined;
}

function readCompose(file: string, d: YamlDoc, root: unknown, facts: ManifestFacts): void {
  for (const [name, svc] of entries(nodeAt(root, ['services']))) {
    const hc = nodeAt(svc, ['healthcheck']);
    const disabled = stringAt(hc, ['disable']) === 'true';
    facts.compose.push({ file, line: d.at(svc), name, healthcheck: hc && !disabled ? { file, line: d.at(hc) } : undefined, builds: Boolean(nodeAt(svc, ['build'])), user: stringAt(svc, ['user']) });
    const command = strings(nodeAt(svc, ['command']), d.at).map((s) => s.text).join(' ');
    if (MIGRATE.test(command)) facts.migrationJobs.push({ file, line: d.at(svc), text: command.slice(0, 100) });
  }
}

export function mergeManifestFacts(parts: Iterable<ManifestFacts>): ManifestFacts {
  const out = emptyManifestFacts();
  for (const p of parts) for (const key of Object.keys(out) as Array<keyof ManifestFacts>) (out[key] as unknown[]).push(...(p[key] as unknown[]));
  return out;
}

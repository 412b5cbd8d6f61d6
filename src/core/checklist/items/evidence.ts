import type { Finding } from '../../finding';
import type { Located, PackageUse, WorkspaceFacts } from '../facts';
import { CAPABILITY_PACKAGES, type Capability } from '../libraries';
import type { ChecklistStatus, Evidence, Verdict } from '../types';

/** Helpers the item functions share: evidence from facts, and snippets for the project's framework. */

export const MAX_EVIDENCE = 8;

export function at(loc: Located, note: string): Evidence {
  return { file: loc.file, line: loc.line, note };
}

export function looked(note: string): Evidence {
  return { note };
}

export function verdict(status: ChecklistStatus, evidence: Evidence[], next: string): Verdict {
  return { status, evidence: evidence.slice(0, MAX_EVIDENCE), next };
}

/** Packages of a capability whose values are called or mounted in the service's code. */
export function used(facts: WorkspaceFacts, capability: Capability): PackageUse[] {
  const names = CAPABILITY_PACKAGES[capability] as readonly string[];
  const out: PackageUse[] = [];
  for (const name of names) out.push(...(facts.code.calls.get(name) ?? []), ...(facts.code.mounted.get(name) ?? []), ...(facts.code.exportedPlugins.get(name) ?? []));
  return dedupe(out);
}

export function mounted(facts: WorkspaceFacts, capability: Capability): PackageUse[] {
  const names = CAPABILITY_PACKAGES[capability] as readonly string[];
  // With @fastify/autoload, a plugin file's `export default plugin` is a registration.
  const autoload = facts.code.calls.has('@fastify/autoload') || facts.code.mounted.has('@fastify/autoload');
  return dedupe(names.flatMap((n) => [...(facts.code.mounted.get(n) ?? []), ...(autoload ? facts.code.exportedPlugins.get(n) ?? [] : [])]));
}

/** Packages of a capability that are imported in code (any file, tests included). */
export function imported(facts: WorkspaceFacts, capability: Capability): Array<Located & { module: string }> {
  const names = CAPABILITY_PACKAGES[capability] as readonly string[];
  return names.flatMap((n) => (facts.code.imports.get(n) ?? []).map((l) => ({ ...l, module: n })));
}

/** Packages of a capability listed in package.json, with the line of each. */
export function declared(facts: WorkspaceFacts, capability: Capability): Array<Located & { module: string }> {
  const names = CAPABILITY_PACKAGES[capability] as readonly string[];
  const file = facts.repo.packageJson;
  if (!file) return [];
  return names.filter((n) => facts.dependencies.has(n)).map((n) => ({ file, line: facts.repo.packageJsonLines.get(n) ?? 0, module: n }));
}

function dedupe<T extends Located>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const k = `${l.file}:${l.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function findingsOf(facts: WorkspaceFacts, ruleId: string): Finding[] {
  return facts.analyzers.findings.get(ruleId) ?? [];
}

export function findingEvidence(f: Finding): Evidence {
  return { file: f.file, line: f.range.start.line, note: f.message.split('\n')[0] };
}

export function hasService(facts: WorkspaceFacts): boolean {
  return facts.http.servers.length > 0 || facts.frameworks.some((f) => f !== 'node-http');
}

export function hasDatabase(facts: WorkspaceFacts): boolean {
  return facts.dbLibraries.length > 0 || facts.code.dbCalls > 0 || facts.code.pools.length > 0;
}

export type FrameworkSnippets = Partial<Record<'express' | 'fastify' | 'nestjs' | 'koa' | 'hono', string>> & { default: string };

/** The snippet for the project's framework (the first one its servers use), as a markdown fence. */
export function snippetFor(facts: WorkspaceFacts, snippets: FrameworkSnippets): string {
  const fw = (facts.http.servers[0]?.framework ?? facts.frameworks[0]) as keyof FrameworkSnippets | undefined;
  const code = (fw && snippets[fw]) ?? snippets.default;
  return `\n\n\`\`\`ts\n${code}\n\`\`\``;
}

/** The problems (malformed inputs) that concern files matching `test`, as evidence. */
export function problemsAbout(facts: WorkspaceFacts, test: (file: string) => boolean): Evidence[] {
  return facts.problems.filter((p) => test(p.file)).map((p) => at(p, p.note));
}

export function base(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

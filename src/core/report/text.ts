import type { Severity } from '../finding';
import { describeAnalysisError } from '../analyze';
import { displayPath, type ScanReport } from './common';
import { quotePath } from './quotePath';

const LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

/** Human output, grouped by file (as eslint's stylish): `line:col  severity  message  rule`. */
export function renderText({ root, result }: ScanReport, opts: { color?: boolean } = {}): string {
  const c = colors(opts.color ?? false);
  const lines: string[] = [];
  let currentFile = '';
  for (const f of result.findings) {
    const file = displayPath(root, f.file);
    if (file !== currentFile) {
      if (currentFile) lines.push('');
      lines.push(c.underline(file));
      currentFile = file;
    }
    const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
    const sev = f.severity === 'error' ? c.red(LABEL[f.severity]) : f.severity === 'warning' ? c.yellow(LABEL[f.severity]) : c.blue(LABEL[f.severity]);
    lines.push(`  ${pos.padEnd(7)} ${sev.padEnd(opts.color ? 16 : 7)}  ${f.message}  ${c.dim(f.ruleId)}`);
    for (const r of f.related) lines.push(`  ${''.padEnd(7)} ${''.padEnd(7)}    ${c.dim(`↳ ${r.message} (${displayPath(root, r.file)}:${r.range.start.line + 1}:${r.range.start.character + 1})`)}`);
  }
  if (result.skipped.length > 0) {
    if (lines.length) lines.push('');
    for (const s of result.skipped) lines.push(c.yellow(`skipped ${quotePath(displayPath(root, s.file))}${s.line !== undefined ? `:${s.line + 1}` : ''}: ${s.reason}`));
  }
  if (result.errors.length > 0) {
    if (lines.length) lines.push('');
    for (const e of result.errors) lines.push(c.red(describeAnalysisError(e, (file) => quotePath(displayPath(root, file)))));
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) counts[f.severity]++;
  if (lines.length) lines.push('');
  const total = result.findings.length;
  const ms = `(${Math.round(result.durationMs)} ms)`;
  const errors = result.errors.length;
  const incomplete = `the analysis is incomplete: ${errors} error${errors === 1 ? '' : 's'}, findings may be missing`;
  if (total === 0) lines.push(errors === 0 ? c.green(`✔ no problems in ${result.files} files ${ms}`) : c.red(`✖ no problems found in ${result.files} files, but ${incomplete} ${ms}`));
  else {
    const summary = `✖ ${total} problem${total === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info) in ${result.files} files ${ms}`;
    lines.push(errors === 0 ? summary : `${summary}; ${incomplete}`);
  }
  return lines.join('\n') + '\n';
}

function colors(on: boolean) {
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), green: wrap(32, 39), dim: wrap(2, 22), underline: wrap(4, 24) };
}

import { displayPath, oneBased, TOOL, type ScanReport } from './common';

/** SPEC § CLI contract: `scan --format json`. */
export function toJsonReport({ root, result }: ScanReport) {
  return {
    version: 1 as const,
    tool: { ...TOOL },
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: displayPath(root, f.file),
      range: oneBased(f.range),
      related: f.related.map((r) => ({ message: r.message, file: displayPath(root, r.file), range: oneBased(r.range) })),
    })),
    skipped: result.skipped.map((s) => ({ file: displayPath(root, s.file), ...(s.line !== undefined ? { line: s.line + 1 } : {}), reason: s.reason })),
    /** What could not be analysed (a file left out, a rule that failed): findings may be missing when this is not empty. */
    errors: result.errors.map((e) => ({
      ...(e.file !== undefined ? { file: displayPath(root, e.file) } : {}),
      ...(e.ruleId !== undefined ? { ruleId: e.ruleId } : {}),
      message: e.message,
    })),
    stats: { files: result.files, durationMs: Math.round(result.durationMs), errors: result.errors.length },
  };
}

export function renderJson(report: ScanReport): string {
  return JSON.stringify(toJsonReport(report), null, 2) + '\n';
}

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
    skipped: result.skipped.map((s) => ({ file: displayPath(root, s.file), reason: s.reason })),
    stats: { files: result.files, durationMs: Math.round(result.durationMs) },
  };
}

export function renderJson(report: ScanReport): string {
  return JSON.stringify(toJsonReport(report), null, 2) + '\n';
}

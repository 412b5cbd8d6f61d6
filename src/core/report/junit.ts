export interface JUnitCase {
  name: string;
  classname: string;
  timeSec?: number;
  failures: Array<{ message: string; type: string; body: string }>;
}

export interface JUnitSuite {
  name: string;
  timeSec?: number;
  cases: JUnitCase[];
}

/** A JUnit XML document (the format CI systems read: Jenkins, GitLab, Azure, GitHub test reporters). */
export function renderJUnit(suites: JUnitSuite[]): string {
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failures.length).length, 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="shipshape" tests="${total}" failures="${failures}" errors="0">`];
  for (const s of suites) {
    const f = s.cases.filter((c) => c.failures.length).length;
    out.push(`  <testsuite name="${esc(s.name)}" tests="${s.cases.length}" failures="${f}" errors="0" skipped="0"${s.timeSec !== undefined ? ` time="${s.timeSec.toFixed(3)}"` : ''}>`);
    for (const c of s.cases) {
      const attrs = `name="${esc(c.name)}" classname="${esc(c.classname)}"${c.timeSec !== undefined ? ` time="${c.timeSec.toFixed(3)}"` : ''}`;
      if (c.failures.length === 0) {
        out.push(`    <testcase ${attrs}/>`);
        continue;
      }
      out.push(`    <testcase ${attrs}>`);
      for (const fl of c.failures) out.push(`      <failure message="${esc(fl.message)}" type="${esc(fl.type)}">${esc(fl.body)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

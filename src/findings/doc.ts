// Renders the finding catalog as docs/findings.md (npm run docs:findings); a test keeps file and code in step.
import { CATEGORIES, CATEGORY_TITLES, type FindingDef } from './types.js';

export function renderFindingsDoc(defs: readonly FindingDef[]): string {
  const out: string[] = [
    '# Finding catalog',
    '',
    'Every finding sendcheck can report. Codes are a public API (like a linter\'s rule names): they are never renamed',
    'silently. Generated from `src/findings/defs/` by `npm run docs:findings`; a test fails when this file is stale.',
    '',
    'Severity: **blocker** stops sending; **warning** works now but is fragile or unsafe; **info** is what was confirmed to work.',
    'The root cause of a report is the first blocker along the path: ' + '`input → resolve → connect → greeting → tls → auth → envelope → domain → reputation → delivery`.',
    '',
  ];
  for (const cat of CATEGORIES) {
    const inCat = defs.filter((d) => d.category === cat);
    if (!inCat.length) continue;
    out.push(`## ${CATEGORY_TITLES[cat]} (\`${cat}\`)`, '');
    for (const d of inCat) {
      out.push(`### \`${d.code}\``, '');
      out.push(`**${d.title}** · ${d.severity} · hop: ${d.hop}`, '');
      out.push(`- Triggered by: ${d.trigger}`);
      if (d.refines?.length) out.push(`- Refines (is the root cause instead of): ${d.refines.map((c) => `\`${c}\``).join(', ')}`);
      out.push(`- Why it matters: ${d.explanation}`);
      if (d.fix.length) {
        out.push('- Fix:');
        d.fix.forEach((f, i) => out.push(`  ${i + 1}. ${f}`));
      }
      out.push('');
    }
  }
  return out.join('\n');
}

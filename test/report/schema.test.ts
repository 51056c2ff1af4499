// The report as a contract: the shipped schema is the one the types generate, the doc is the one the schema renders,
// and every kind of report (check against the lab, discovery, demo, domain, domain --file, explain, replay) matches it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { explainToReport } from '../../src/explain/explain.js';
import { renderJson } from '../../src/report/json.js';
import { REPORT_SCHEMA_PATH } from '../../src/report/schema.js';
import { REPORT_SCHEMA_VERSION, reportSchemaUrl, type Report } from '../../src/report/types.js';
import { VERSION } from '../../src/version.js';
import { MARKER, renderReportReference } from '../../scripts/report-doc.mjs';
import { generateReportSchema, renderReportSchema } from '../../scripts/report-schema.mjs';
import { runCli } from '../helpers/cli.js';
import { loadLabEnv, repoRoot, type LabEnv } from '../helpers/lab-env.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('schema');
let lab: LabEnv;
let resolver: string;
beforeAll(() => {
  lab = loadLabEnv();
  resolver = `${lab.dns.server}:${lab.dns.port}`;
});

const asJson = (r: Report) => JSON.parse(renderJson(r)) as unknown;

describe('schema/report.schema.json', () => {
  it('is the schema the TypeScript types generate (run npm run docs:report after changing a report type)', () => {
    const shipped = readFileSync(join(repoRoot, REPORT_SCHEMA_PATH), 'utf8');
    expect(shipped).toBe(renderReportSchema(generateReportSchema(repoRoot, REPORT_SCHEMA_VERSION)));
    const schema = JSON.parse(shipped) as { $schema: string; $comment: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$comment).toBe(`schemaVersion ${REPORT_SCHEMA_VERSION}`);
  });

  it('docs/json-report.md documents every field of it and has a changelog entry for this version', () => {
    const doc = readFileSync(join(repoRoot, 'docs/json-report.md'), 'utf8');
    const schema = JSON.parse(readFileSync(join(repoRoot, REPORT_SCHEMA_PATH), 'utf8')) as Record<string, unknown>;
    expect(doc.slice(doc.indexOf(MARKER))).toBe(renderReportReference(schema));
    expect(doc).toContain(`- **${REPORT_SCHEMA_VERSION}**:`);
    expect(doc).toContain(`(now \`${REPORT_SCHEMA_VERSION}\`)`);
  });

  it('ships in the package', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });
});

describe('every kind of report matches the schema', () => {
  it('check against Postfix, with settings discovered from the address (SRV)', async () => {
    const alice = lab.users[0]!;
    const r = await runCheck({ target: alice.user, resolvers: [resolver], ca: [readFileSync(lab.caFile, 'utf8')], password: alice.password, from: alice.user, to: ['bob@example.test'], timeoutMs: 3000 });
    expect(r.facts.extra.discovery).toBeDefined();
    expect(r.$schema).toBe(reportSchemaUrl(VERSION));
    expect(r.target.kind).toBe('server');
    assertValidReport(asJson(r));
  });

  it('demo lines, and each replayed', async () => {
    const demo = await runCli(['demo', '--json'], { timeoutMs: 60_000 });
    const lines = demo.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const [i, line] of lines.entries()) {
      assertValidReport(JSON.parse(line), `demo line ${i + 1}`);
      const file = join(dir, `demo-${i}.json`);
      writeFileSync(file, line);
      const replay = await runCli(['check', '--replay', file, '--json']);
      expect(replay.stderr).toBe('');
      assertValidReport(JSON.parse(replay.stdout), `replay of demo line ${i + 1}`);
    }
  });

  it('domain (one, and --file) against the lab DNS', async () => {
    const one = await runCli(['domain', 'good.dom.test', '--resolver', resolver, '--timeout', '2', '--no-default-blocklists', '--ip', '127.0.0.42', '--json']);
    const r = JSON.parse(one.stdout) as Report;
    expect(r.target).toMatchObject({ kind: 'domain', domain: 'good.dom.test', ips: ['127.0.0.42'] });
    assertValidReport(r);
    const file = join(dir, 'domains.txt');
    writeFileSync(file, 'good.dom.test\n# a comment\nnxdomain.invalid\n');
    const many = await runCli(['domain', '--file', file, '--resolver', resolver, '--timeout', '2', '--no-default-blocklists', '--no-propagation', '--json']);
    const lines = many.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report);
    for (const l of lines) assertValidReport(l);
    expect(lines.map((l) => l.target)).toEqual([expect.objectContaining({ domain: 'good.dom.test', line: 1 }), expect.objectContaining({ domain: 'nxdomain.invalid', line: 3 })]);
  });

  it('explain: a reply text, a bounce file, standard input', async () => {
    const text = explainToReport('535-5.7.8 Username and Password not accepted');
    expect(text.target).toEqual({ kind: 'explain', source: 'text', chars: 44 });
    assertValidReport(asJson(text));
    const bounce = join(dir, 'bounce.eml');
    writeFileSync(bounce, 'From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n\n<bob@example.org>: host mx.example.org said: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown\n');
    const file = await runCli(['explain', bounce, '--json']);
    expect(JSON.parse(file.stdout)).toMatchObject({ target: { kind: 'explain', source: 'file', file: bounce } });
    const stdin = await runCli(['explain', '-', '--json'], { input: 'connect ECONNREFUSED 192.0.2.1:587\n' });
    expect(JSON.parse(stdin.stdout)).toMatchObject({ command: 'explain', target: { kind: 'explain', source: 'stdin' } });
  });
});

// explain's rows for `npm run bench` (bench/run.mjs calls runExplainBench()), whole process against whole process:
// - the sisimai corpus (maildir/bsd, 629 real bounces), one cold pass each: sendcheck (bench/explain-corpus.mjs,
//   which also computes the agreement with sisimai's labels) against sisimai itself (Debian's libsisimai-perl);
// - one 10 MB bounce (a real DSN whose returned message is padded to 10 MB): `sendcheck explain FILE` vs sisimai;
// - a 10 MB Postfix log (generated from real log line shapes) through `sendcheck explain -`: no peer reads a log
//   for causes, so the row stands alone against its goal (linear: ≤ 1 s).
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, printRow } from './harness.mjs';

const root = new URL('..', import.meta.url).pathname;
const CLI = `${root}dist/bin/sendcheck.js`;
// Same search as test/helpers/corpora.ts: $SENDCHECK_CORPORA, ../shared/corpora, /work/shared/corpora.
const CORPORA = [process.env.SENDCHECK_CORPORA, new URL('../../shared/corpora', import.meta.url).pathname, '/work/shared/corpora'].find((d) => d && existsSync(d));
const SISIMAI = `${CORPORA}/sisimai-bounces`;
const sisimaiCount = (path) => ({
  label: 'sisimai (Perl, Debian libsisimai-perl) Sisimai->make',
  cmd: 'perl',
  args: ['-MSisimai', '-e', 'my $v = Sisimai->make($ARGV[0]) // []; print scalar(@$v), " bounces\\n"', path],
  exit: 0,
  expect: /^[1-9]\d* bounces$/m,
});

function postfixLog(bytes) {
  const lines = [
    'Nov 30 10:00:01 mx postfix/smtp[2101]: 4F2A11C0{n}: to=<user{n}@example.net>, relay=mx.example.net[192.0.2.10]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 OK 1701339601 q{n})',
    'Nov 30 10:00:02 mx postfix/smtp[2102]: 5B3C22D0{n}: to=<old{n}@example.org>, relay=mx.example.org[198.51.100.7]:25, delay=0.9, delays=0.1/0/0.4/0.4, dsn=5.1.1, status=bounced (host mx.example.org[198.51.100.7] said: 550 5.1.1 <old{n}@example.org>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))',
    'Nov 30 10:00:03 mx postfix/smtp[2103]: 6C4D33E0{n}: to=<a{n}@example.com>, relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.com[203.0.113.5]:25: Connection timed out)',
    'Nov 30 10:00:04 mx postfix/smtpd[2104]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org; from=<x{n}@example.biz> to=<y@example.test> proto=ESMTP helo=<spammer>',
    'Nov 30 10:00:05 mx postfix/qmgr[2000]: 7D5E44F0{n}: from=<sender{n}@example.test>, size=2048, nrcpt=1 (queue active)',
  ];
  const out = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const l = lines[n % lines.length].replaceAll('{n}', String(n));
    out.push(l);
    size += l.length + 1;
  }
  return `${out.join('\n')}\n`;
}

export async function runExplainBench({ runs = 5 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sendcheck-bench-explain-'));
  try {
    printRow(compare({
      name: 'explain: sisimai corpus (629 real bounces), one cold pass, vs sisimai',
      ours: { label: 'sendcheck explain (library, cold process)', cmd: process.execPath, args: [`${root}bench/explain-corpus.mjs`, SISIMAI, 'maildir/bsd'], exit: 0, expect: /explained 629 messages/ },
      peer: sisimaiCount(`${SISIMAI}/maildir/bsd`),
      runs,
      note: 'the sendcheck side prints its own messages/s and its agreement with sisimai\'s labels (below)',
    }), { text: '≥ 3,000 messages/s cold', met: (r) => (629 / r.ours.wall.median) * 1000 >= 3000 });
    const { spawnSync } = await import('node:child_process');
    console.log(`  ${spawnSync(process.execPath, [`${root}bench/explain-corpus.mjs`, SISIMAI, 'maildir/bsd'], { encoding: 'utf8' }).stdout.trim()}`);

    // A real DSN (Postfix, user unknown) with its returned message padded to 10 MB.
    const dsn = readFileSync(`${SISIMAI}/maildir/bsd/lhost-postfix-01.eml`, 'latin1');
    const filler = 'X-Padding: ' + 'lorem ipsum dolor sit amet '.repeat(2) + '\n';
    const big = join(dir, 'big-bounce.eml');
    writeFileSync(big, dsn.trimEnd() + '\n' + filler.repeat(Math.ceil((9.9 * 1024 * 1024 - dsn.length) / filler.length - 1)), 'latin1');
    printRow(compare({
      name: 'explain: one 9.9 MB bounce (the input limit is 10 MB) vs sisimai',
      ours: { label: 'sendcheck explain big-bounce.eml', cmd: process.execPath, args: [CLI, 'explain', big], exit: [0, 1], expect: /recipient|Recipient/ },
      peer: sisimaiCount(big),
      runs: Math.min(runs, 3),
    }));

    const log = join(dir, 'postfix-10mb.log');
    writeFileSync(log, postfixLog(9.9 * 1024 * 1024));
    printRow(compare({
      name: 'explain: a 9.9 MB Postfix log on stdin (no peer reads a log for causes)',
      ours: { label: 'sendcheck explain - < postfix-10mb.log', cmd: 'sh', args: ['-c', `exec ${process.execPath} ${CLI} explain - < ${log}`], exit: [0, 1], expect: /User unknown|recipient/i },
      peer: null,
      runs: Math.min(runs, 3),
    }), { text: '≤ 1 s (linear in the input)', met: (r) => r.ours.wall.median <= 1000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runExplainBench();

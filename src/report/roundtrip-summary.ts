// The round trip at a glance, for the terminal and HTML reports: sent, arrived where and when, each hop with its
// delay, the receiver's verdicts (passes included: a user wants to see what works too), spam verdicts, clean-up.
import type { Facts } from '../facts/index.js';
import type { RoundtripFact } from '../facts/roundtrip.js';
import { localTime } from './when.js';

export interface SummaryLine {
  label: string;
  text: string;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function hopLines(rt: RoundtripFact): string[] {
  const copy = rt.copy!;
  // hops are topmost-first in the message; show them in the order the message travelled
  return [...copy.hops].reverse().map((h, i) => {
    const d = copy.delays[i]?.delayMs;
    const via = [h.with, h.tls && !h.tls.startsWith(h.with ?? '\0') ? h.tls.split(' with ')[0] : undefined].filter(Boolean).join(', ');
    const delay = d === undefined ? '' : d < 0 ? `, ${secs(-d)} before the previous hop (clocks disagree)` : `, +${secs(d)}`;
    return `${i + 1}. ${h.from ?? '?'}${h.fromIp && h.fromIp !== h.from ? ` [${h.fromIp}]` : ''} → ${h.by ?? '?'}${via ? ` (${via})` : ''}${h.date ? ` at ${localTime(h.date, { seconds: true })}` : ''}${delay}`;
  });
}

export function roundtripSummary(facts: Facts): { title: string; lines: SummaryLine[] } | undefined {
  const rt = facts.roundtrip;
  if (!rt) return undefined;
  const lines: SummaryLine[] = [];
  const imap = rt.imap.endpoint ? `${rt.imap.endpoint.host}:${rt.imap.endpoint.port}` : 'not found';
  const e = rt.imap.endpoint;
  // Where the mailbox server came from, as for the SMTP server ("found by SRV _imaps._tcp.example.com").
  const from = e && e.source !== 'flag' ? `; ${e.source === 'discovered' ? 'found by' : e.source === 'guess' ? 'guess:' : 'from'} ${e.detail}` : '';
  lines.push({ label: e?.protocol ?? 'imap', text: `${imap}: login ${rt.imap.outcome}${rt.imap.capabilities.includes('IDLE') ? ' (IDLE offered)' : ''}${from}` });
  if (rt.notSent) lines.push({ label: 'sent', text: `nothing: ${rt.notSent}` });
  if (rt.data) {
    const reply = rt.data.end ?? rt.data.start;
    lines.push({ label: 'sent', text: `${rt.message?.subject ?? 'test message'}: ${reply.code} ${reply.lines[0]?.replace(/^\d{3}[ -]/, '') ?? ''}${rt.data.queueId && !reply.text.includes(rt.data.queueId) ? ` (queue ID ${rt.data.queueId})` : ''}` });
  }
  if (rt.copy) {
    const c = rt.copy;
    lines.push({ label: 'arrived', text: `${c.folder.path}${c.folder.role === 'junk' ? ' (junk folder)' : ''} after ${secs(c.foundAfterMs)}${rt.waitMode ? `, watched by ${rt.waitMode === 'idle' ? 'IMAP IDLE' : 'polling'}` : ''}` });
    hopLines(rt).forEach((t, i) => lines.push({ label: i === 0 ? 'hops' : '', text: t }));
    const verdicts = [
      ...c.authResults.flatMap((h) => h.results.map((r) => {
        const about = [r.props['header.d'], r.props['header.from'], r.props['smtp.mailfrom']].find((v) => v && v !== 'none');
        return `${r.method}=${r.result}${about ? ` (${about})` : ''}${h.authservId ? ` by ${h.authservId}` : ''}`;
      })),
      ...c.receivedSpf.map((r) => `Received-SPF: ${r.result}`),
    ];
    lines.push({ label: 'verdicts', text: verdicts.length ? verdicts.join('; ') : 'no Authentication-Results header' });
    for (const v of c.spam) {
      lines.push({ label: 'spam', text: `${v.header}: ${v.isSpam === undefined ? 'no verdict' : v.isSpam ? 'spam' : 'not spam'}${v.score !== undefined ? `, score ${v.score}${v.threshold !== undefined ? `/${v.threshold}` : ''}` : ''}${v.tests.length ? ` (${v.tests.join(', ')})` : ''}` });
    }
    if (rt.cleanup) lines.push({ label: 'clean-up', text: rt.cleanup.kept ? 'kept (--keep)' : rt.cleanup.deleted ? 'test message deleted' : `not deleted: ${rt.cleanup.error ?? ''}` });
  } else if (rt.data?.accepted) {
    lines.push({ label: 'arrived', text: `not within ${secs(rt.waitedMs ?? rt.waitLimitMs)} (searched ${rt.folders.map((f) => f.path).join(', ')})` });
  }
  return { title: `Round trip: ${rt.sender} → ${rt.recipient}`, lines };
}

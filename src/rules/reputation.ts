// Reputation (hop "reputation"): DNS blocklist answers from a domain audit. A listing is reported with what the
// list says it means and where to ask for removal; a refused/over-quota answer is an info, never a listing.
import type { DomainFacts } from '../facts/domain.js';
import { makeFinding } from '../findings/make.js';
import type { Finding } from '../findings/types.js';
import { domainFactsOf } from './dns.js';
import { defineRule } from './types.js';

export function judgeReputation(d: DomainFacts): Finding[] {
  const out: Finding[] = [];
  // Sent through a consumer provider's own server: a listing of its address is the provider's, not the user's.
  if (d.consumerProvider && d.consumerProvider.submissionHosts.includes((d.smtpHost ?? '').toLowerCase().replace(/\.$/, ''))) return out;
  for (const r of d.blocklists) {
    if (r.status === 'listed') {
      // In check, the listed address is the submission server's, which may not be the relay receivers see.
      const submission = r.type === 'ip' && d.ipSource === 'submission-host';
      out.push(makeFinding(r.type === 'ip' ? 'reputation.ip-listed' : 'reputation.domain-listed', {
        severity: submission ? 'warning' : undefined,
        confidence: submission ? 'possible' : 'certain',
        evidence: [
          { text: `${r.subject} is listed on ${r.name}: ${r.meaning ?? r.answers.join(', ')} (${r.answers.join(', ')})`, where: `A ${r.query}` },
          ...(r.txt ? [{ text: r.txt, where: `TXT ${r.query}` }] : []),
          ...(r.notes ? [{ text: r.notes, where: r.name }] : []),
        ],
        fixFirst: r.removalUrl ? [`Removal / lookup: ${r.removalUrl}`] : undefined,
      }));
    } else if (r.status === 'refused') {
      out.push(makeFinding('reputation.blocklist-refused', { evidence: [{ text: `${r.name} answered ${r.answers.join(', ')}: ${r.meaning}`, where: `A ${r.query}` }] }));
    }
  }
  return out;
}

export const reputationRule = defineRule({
  name: 'reputation',
  run(facts) {
    const d = domainFactsOf(facts);
    return d ? judgeReputation(d) : [];
  },
});

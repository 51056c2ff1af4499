// Provider wordings whose meaning is documented by the provider rather than seen in a public thread (so they are not
// in the public-threads corpora): the shared reply classifier must read each family as its documentation says. The
// texts follow the documented wording (the exact words vary between deployments); the sources are in the entries of
// data/provider-errors.json or the comments of the classifier rules that read them.
import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../src/rules/reply-classifier.js';

const CASES: [string, number, string, string][] = [
  // Gmail reuses RFC 3463 codes with its own sender-requirement meanings (x.7.27 is a null MX in the IANA registry).
  ['Gmail 5.7.27: SPF', 550, "5.7.27 Your email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with SPF. - gsmtp", 'dns.spf-fail'],
  ['Gmail 4.7.27: SPF (temporary)', 421, '4.7.27 Your email has been rate limited because SPF authentication did not pass for this message. Gmail requires all bulk email senders to authenticate with SPF. - gsmtp', 'dns.spf-fail'],
  ['Gmail 5.7.30: DKIM', 550, '5.7.30 Your email has been blocked because DKIM authentication did not pass for this message. Gmail requires all bulk email senders to authenticate with DKIM. - gsmtp', 'dns.dkim-fail'],
  ['Gmail 4.7.32: alignment', 421, "4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp", 'dns.dmarc-fail'],
  ['Gmail 4.7.40: no DMARC', 421, '4.7.40 Your email has been rate limited because DMARC policy is not set for this sender domain. - gsmtp', 'dns.dmarc-missing'],
  // Microsoft's x.7.5xx codes name Microsoft without its host.
  ['Microsoft 5.7.515 by code alone', 550, '5.7.515 Access denied, sending domain example.com does not meet the', 'dns.dmarc-fail'],
  ['Microsoft 5.7.511 banned sender', 550, '5.7.511 Access denied, banned sender[1.2.3.4].', 'envelope.ip-blocked'],
  // Amazon SES's throttling replies are sending quotas, never a full mailbox.
  ['SES daily quota', 454, 'Throttling failure: Daily message quota exceeded.', 'envelope.rate-limited'],
];

describe('provider code families read as documented', () => {
  it.each(CASES)('%s', (_name, code, text, want) => {
    expect(classifyReply({ code, text: `${code} ${text}` }, 'bounce')?.code).toBe(want);
    expect(classifyReply({ code, text: `${code} ${text}` }, 'any')?.code).toBe(want);
  });
});

// sisimai's bounce reasons → sendcheck finding codes: the one table the conformance test scores against
// (test/explain/sisimai-corpus.test.ts, docs/explain.md). `accept` lists every code counted as agreement; the
// first is the natural equivalent. Reasons marked `scored: false` have no sendcheck meaning and are reported
// but left out of the agreement floor (see `why`).

export interface SisimaiMapping {
  accept: string[];
  scored: boolean;
  why: string;
}

export const SISIMAI_REASON_MAP: Record<string, SisimaiMapping> = {
  userunknown: { accept: ['envelope.recipient-rejected'], scored: true, why: 'the recipient address does not exist' },
  mailboxfull: { accept: ['envelope.mailbox-full'], scored: true, why: 'over quota' },
  expired: { accept: ['delivery.expired'], scored: true, why: 'queue lifetime exceeded' },
  filtered: { accept: ['envelope.recipient-rejected', 'envelope.policy-rejected'], scored: true, why: 'a recipient-side filter refused the address (sisimai: "rejected by recipient\'s filter", mostly user-unknown texts)' },
  rejected: { accept: ['envelope.sender-rejected'], scored: true, why: 'the envelope sender was refused' },
  blocked: { accept: ['envelope.ip-blocked', 'reputation.ip-listed', 'dns.ptr-missing', 'smtp.greeting-rejected', 'smtp.ehlo-rejected'], scored: true, why: 'the sending IP address or its name is blocked (blocklists; sisimai also files missing rDNS and refused HELO names here)' },
  hostunknown: { accept: ['delivery.host-unknown'], scored: true, why: 'the recipient domain does not exist' },
  authfailure: { accept: ['dns.spf-fail', 'dns.dkim-fail', 'dns.dmarc-fail'], scored: true, why: 'SPF / DKIM / DMARC failure' },
  networkerror: { accept: ['delivery.network-error'], scored: true, why: 'loops, hop counts, DNS or routing trouble between MTAs' },
  feedback: { accept: ['delivery.feedback-report'], scored: true, why: 'an ARF feedback report, not a bounce' },
  suspend: { accept: ['envelope.recipient-rejected'], scored: true, why: 'the mailbox is disabled: the recipient cannot receive' },
  policyviolation: { accept: ['envelope.policy-rejected'], scored: true, why: 'refused by a policy of the receiving site' },
  requireptr: { accept: ['dns.ptr-missing'], scored: true, why: 'the sending IP address has no (matching) PTR record' },
  spamdetected: { accept: ['envelope.message-rejected-spam'], scored: true, why: 'the content was judged spam' },
  systemerror: { accept: ['delivery.remote-error'], scored: true, why: 'the receiving system failed' },
  notaccept: { accept: ['delivery.not-accepting-mail'], scored: true, why: 'the domain accepts no mail (null MX)' },
  securityerror: { accept: ['auth.required', 'auth.credentials-rejected', 'tls.required', 'envelope.policy-rejected'], scored: true, why: 'authentication or a security policy refused the sender' },
  mailererror: { accept: ['delivery.remote-error'], scored: true, why: 'the local delivery program failed' },
  norelaying: { accept: ['envelope.relay-denied'], scored: true, why: 'relaying denied' },
  onhold: { accept: [], scored: false, why: 'sisimai could not decide the reason: nothing to agree with' },
  hasmoved: { accept: ['envelope.recipient-rejected'], scored: true, why: 'the address moved (551 / 5.1.6)' },
  notcompliantrfc: { accept: ['envelope.policy-rejected'], scored: true, why: 'the message breaks RFC 5322 (duplicate headers …)' },
  toomanyconn: { accept: ['envelope.rate-limited'], scored: true, why: 'too many connections or recipients' },
  vacation: { accept: ['delivery.auto-reply'], scored: true, why: 'an auto-reply: the mail was delivered' },
  badreputation: { accept: ['envelope.ip-blocked', 'reputation.ip-listed', 'envelope.rate-limited'], scored: true, why: 'poor IP reputation' },
  exceedlimit: { accept: ['delivery.message-too-large'], scored: true, why: 'the message exceeds the recipient\'s size limit' },
  mesgtoobig: { accept: ['delivery.message-too-large'], scored: true, why: 'the message is too big' },
  contenterror: { accept: ['envelope.policy-rejected'], scored: true, why: 'malformed content (headers, 8-bit data)' },
  delivered: { accept: ['delivery.delivered'], scored: true, why: 'a success DSN' },
  syntaxerror: { accept: ['delivery.syntax-error'], scored: true, why: 'an SMTP syntax error' },
  virusdetected: { accept: ['delivery.virus-detected'], scored: true, why: 'a virus was found' },
  speeding: { accept: ['envelope.rate-limited'], scored: true, why: 'rate limited' },
  systemfull: { accept: ['delivery.remote-error'], scored: true, why: 'the receiving system\'s disk is full' },
  undefined: { accept: [], scored: false, why: 'sisimai found no reason: nothing to agree with' },
  failedstarttls: { accept: ['tls.handshake-failed', 'tls.starttls-not-offered', 'tls.starttls-refused', 'tls.required'], scored: true, why: 'STARTTLS failed between MTAs' },
  suppressed: { accept: [], scored: false, why: 'an ESP suppression list entry (no public sample)' },
};

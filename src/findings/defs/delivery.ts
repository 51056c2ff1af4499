// Catalog entries for what happens after the envelope: the message is refused for its content or the mailbox.
// These come from replies to DATA and from bounces (sendcheck explain), not from the envelope probe.
import type { FindingDef } from '../types.js';

export const DELIVERY_FINDINGS: FindingDef[] = [
  {
    code: 'envelope.message-rejected-spam', category: 'spam-filters', severity: 'blocker', hop: 'delivery',
    title: 'The message was rejected as spam',
    explanation: 'The receiving server judged the content or the sender\'s reputation as spam.',
    fix: ['Check the sending domain\'s SPF, DKIM and DMARC (`sendcheck domain DOMAIN`).', 'Avoid link shorteners, all-image mails and attachments known for malware.'],
    trigger: 'A reply or bounce says the message was classified as spam / content rejected.',
  },
  {
    code: 'envelope.mailbox-full', category: 'server-settings', severity: 'warning', hop: 'delivery',
    title: 'The recipient\'s mailbox is full',
    explanation: 'Not a sending problem: the recipient is over quota.',
    fix: ['Tell the recipient by another channel, or try later.'],
    trigger: 'A reply or bounce carries 4.2.2 / 5.2.2 or an over-quota text.',
  },
  {
    code: 'envelope.policy-rejected', category: 'spam-filters', severity: 'blocker', hop: 'delivery',
    title: 'The receiving server rejected the message by policy',
    explanation: 'The recipient\'s server refused the message for a policy reason (not spam-scored content, not the address).',
    fix: ['Read the server\'s text: it usually names the policy and a page to visit.'],
    trigger: 'A reply or bounce carries 5.7.x with a policy text not covered by a more specific finding.',
  },
];

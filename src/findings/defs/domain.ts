// Catalog entries for the sending domain's DNS and reputation (sendcheck domain). Codes referenced by
// data/provider-errors.json must stay defined here.
import type { FindingDef } from '../types.js';

export const DOMAIN_FINDINGS: FindingDef[] = [
  {
    code: 'dns.spf-fail', category: 'dns', severity: 'blocker', hop: 'domain',
    title: 'SPF does not authorise the sending IP',
    explanation: 'The domain\'s SPF record does not list the address that sends its mail, so receivers treat the mail as forged.',
    fix: ['Add the sending server (its ip4:/include: mechanism) to the domain\'s SPF record.'],
    trigger: 'SPF evaluates to fail/softfail for the sending IP, or a reply/bounce says SPF failed.',
  },
  {
    code: 'dns.dkim-fail', category: 'dns', severity: 'blocker', hop: 'domain',
    title: 'DKIM is missing or fails',
    explanation: 'Receivers could not verify a DKIM signature for the domain.',
    fix: ['Publish the DKIM public key the sending service gives you at SELECTOR._domainkey.DOMAIN and turn on signing.'],
    trigger: 'No valid DKIM key/signature, or a reply/bounce says DKIM failed.',
  },
  {
    code: 'dns.dmarc-fail', category: 'dns', severity: 'blocker', hop: 'domain',
    title: 'DMARC rejects the mail',
    explanation: 'Neither SPF nor DKIM passed in alignment with the From domain, and the DMARC policy says to reject or quarantine.',
    fix: ['Make SPF or DKIM pass for the From domain (see the SPF and DKIM findings).'],
    trigger: 'A reply/bounce says DMARC policy rejected the message, or evaluation predicts it.',
  },
  {
    code: 'dns.ptr-missing', category: 'dns', severity: 'blocker', hop: 'domain',
    title: 'The sending IP has no valid reverse DNS',
    explanation: 'Receivers reject mail from IPs without a PTR record that resolves back to the same IP.',
    fix: ['Ask whoever owns the IP (hosting or ISP) to set a PTR record to the server\'s host name, and an A record back.'],
    trigger: 'No PTR for the sending IP, the PTR does not resolve back, or a reply says the host name cannot be found.',
  },
  {
    code: 'reputation.ip-listed', category: 'spam-filters', severity: 'blocker', hop: 'reputation',
    title: 'The sending IP is on a blocklist',
    explanation: 'A DNS blocklist lists the address; receivers that use the list refuse the mail.',
    fix: ['Find and stop the cause (a compromised account, an open relay), then request removal at the list.'],
    trigger: 'A DNSBL returns a listing code for the IP, or a reply names a blocklist.',
  },
  {
    code: 'reputation.domain-listed', category: 'spam-filters', severity: 'blocker', hop: 'reputation',
    title: 'The sending domain is on a domain blocklist',
    explanation: 'A domain blocklist lists the domain (or a domain in the message); receivers that use it refuse the mail.',
    fix: ['Find the cause and request removal at the list.'],
    trigger: 'A domain blocklist returns a listing code for the domain.',
  },
];

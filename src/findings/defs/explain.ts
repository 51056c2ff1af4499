// Catalog entries that come from `sendcheck explain` (bounces, logs, client error messages) and from comparing
// the user's settings with discovered ones. Bounce outcomes that a live check can also see reuse the live codes
// (envelope.*, auth.*, dns.*); these are the outcomes only a bounce reports.
import type { FindingDef } from '../types.js';

export const EXPLAIN_FINDINGS: FindingDef[] = [
  {
    code: 'explain.received-checks', category: 'spam-filters', severity: 'info', hop: 'delivery',
    title: 'The receiving server\'s checks passed',
    explanation: 'The message carries the receiver\'s verdicts (Authentication-Results, spam-filter headers) and none of them is a problem: if it still landed in spam, the cause is the content, the sender\'s reputation or the recipient\'s own rules.',
    fix: ['Check the sending IP and domain against blocklists (sendcheck domain DOMAIN --ip IP).', 'Ask the recipient to mark it as not spam: receivers learn per sender.'],
    trigger: 'explain on a received message (not a bounce) whose Authentication-Results and spam headers show no failure.',
  },
  {
    code: 'explain.unrecognized', category: 'server-settings', severity: 'info', hop: 'input',
    title: 'No known error was recognised in the text',
    explanation: 'The text holds no SMTP reply code, enhanced status code, delivery status notification or known client error that sendcheck can map to a cause.',
    fix: ['Paste the exact error text, the bounce (.eml) or the log lines around the failure.', 'Or run a live check from the machine that fails to send: `sendcheck check <your address>`.'],
    trigger: 'explain found nothing it could classify in its input.',
  },
  {
    code: 'connect.local-block-suspected', refines: ['port.refused', 'port.filtered'], category: 'port-blockage', severity: 'blocker', hop: 'connect',
    title: 'A well-known mail service could not be reached from here: the block is most likely on your side',
    explanation: 'The text shows a refused or unanswered connection to the submission server of a large provider. Those servers listen on their published ports for everyone, so the host name is right and the port exists: what stops the connection is on the way out of this machine, its firewall or security software, the local network (company, school, hotel, public Wi-Fi) or the hosting or cloud provider (many block outgoing mail ports on servers, some also 587 and 465).',
    fix: [
      'Run `sendcheck check` from the same machine: it tests the port against an independent reference server and says whether your network blocks it.',
      'On a cloud server or shared hosting, read the provider\'s policy on outgoing SMTP and use its relay or an HTTP sending API if the ports stay closed.',
      'Try from another network (a phone hotspot): if it works there, the block is local.',
    ],
    trigger: 'explain: ECONNREFUSED, a connect timeout or "Connection refused" in a text that names a provider\'s submission host (data/providers.json).',
  },
  {
    code: 'resolve.local-failure-suspected', refines: ['resolve.nxdomain', 'resolve.timeout'], category: 'dns', severity: 'blocker', hop: 'resolve',
    title: 'This machine could not look up a well-known mail server: its resolver or network failed',
    explanation: 'The name that failed to resolve is the submission server of a large provider, which always resolves. The failure is on this machine: no network, a DNS server that does not answer, a container or VM without working DNS, or a firewall that blocks DNS.',
    fix: [
      'Check that this machine resolves other names (`nslookup example.com`); in a container, check its /etc/resolv.conf and network.',
      'Run `sendcheck check` from the same machine: it asks more than one resolver and tells a local resolver failure from the domain\'s.',
    ],
    trigger: 'explain: ENOTFOUND, EAI_AGAIN or "could not resolve" for exactly a provider\'s submission host name (data/providers.json).',
  },
  {
    code: 'security-software.interception-suspected', refines: ['tls.certificate-untrusted', 'tls.certificate-self-signed'], category: 'security-software', severity: 'blocker', hop: 'tls',
    title: 'The certificate check failed where the real certificate is trusted: something on your side likely re-signs TLS',
    explanation: 'A certificate-chain error (a self-signed certificate in the chain, an issuer that cannot be found, a failed path validation) on a well-known provider\'s server, whose certificate every system trusts, means the certificate the client received is not the provider\'s. The usual cause is security software that scans mail (Avast, AVG, Kaspersky, ESET, Bitdefender mail or web shields), a company TLS-inspection proxy or a school or parental filter. Less often: an outdated CA store on this machine (an old Java runtime or a slim container image).',
    fix: [
      'Look at the issuer of the certificate the client receives: `openssl s_client -connect HOST:PORT -starttls smtp` (or without -starttls on port 465) prints it; a product name there identifies the interceptor.',
      'Run `sendcheck check` from the same machine: it reads the certificate and names the product when the issuer is a known one.',
      'Turn off the product\'s scanning of encrypted mail connections, or exclude the mail program; if the issuer is a public CA instead, update this machine\'s CA store.',
    ],
    trigger: 'explain: a certificate-chain error (PKIX, unable to get local issuer, self-signed certificate in chain, RemoteCertificateChainErrors, unknown authority) in a text that names a provider\'s host, or "self-signed certificate in certificate chain".',
  },
  {
    code: 'config.differs-from-discovered', category: 'client-config', severity: 'warning', hop: 'input',
    title: 'Your settings differ from the ones discovered for this address',
    explanation: 'The host, port or security mode you use is not what the domain\'s SRV records, autoconfig document or the provider table say: {diff}.',
    fix: ['Use these settings: {recommended}.'],
    trigger: 'The user gave (or a client config holds) settings that differ from the best discovered candidate.',
  },
  {
    code: 'delivery.expired', category: 'server-settings', severity: 'blocker', hop: 'delivery',
    title: 'The message could not be delivered in time and was returned',
    explanation: 'A mail server kept retrying and gave up when the message expired in its queue: the recipient\'s server was unreachable or kept deferring.',
    fix: ['Read the last error the bounce quotes: it names why each attempt failed.', 'If the recipient domain is yours, check its MX servers are reachable on port 25.'],
    trigger: 'A bounce says the queue lifetime expired (Action: failed with 4.4.7, "retry timeout exceeded", "delivery time expired").',
  },
  {
    code: 'delivery.host-unknown', category: 'dns', severity: 'blocker', hop: 'delivery',
    title: 'The recipient\'s domain does not exist or has no mail server',
    explanation: 'The recipient address points at a domain that DNS does not know, or that has no usable MX or A record.',
    fix: ['Check the recipient address for a typo in the domain.'],
    trigger: 'A bounce carries 5.1.2 / 5.4.4 or "Host unknown", "Name service error", "Domain not found".',
  },
  {
    code: 'delivery.network-error', category: 'server-settings', severity: 'blocker', hop: 'delivery',
    title: 'The message was stopped by a routing or network error between mail servers',
    explanation: 'A server on the way could not route the message: a mail loop, too many hops, or the next server was unreachable.',
    fix: ['Read the bounce\'s remote MTA and diagnostic code; a loop or hop count usually means a forwarding misconfiguration at the recipient.'],
    trigger: 'A bounce carries 5.4.x / 4.4.x or a "mail loop", "too many hops", "unroutable" text.',
  },
  {
    code: 'delivery.remote-error', category: 'server-settings', severity: 'blocker', hop: 'delivery',
    title: 'The receiving server failed on its side',
    explanation: 'The recipient\'s server (or a program it runs for delivery) reported an internal error or a full disk; nothing on the sender\'s side causes this.',
    fix: ['Try again later; tell the recipient by another channel if it persists.'],
    trigger: 'A bounce carries 4.3.x / 5.3.x or a local delivery program failure.',
  },
  {
    code: 'delivery.message-too-large', category: 'client-config', severity: 'blocker', hop: 'delivery',
    title: 'The message is larger than the receiving server accepts',
    explanation: 'The message (with its attachments, which grow by a third when encoded) exceeds a size limit of the receiving server.',
    fix: ['Send large files as a link instead of an attachment, or compress them.'],
    trigger: 'A reply or bounce carries 5.3.4 / 552 or a "message too large / size limit" text.',
  },
  {
    code: 'delivery.virus-detected', category: 'spam-filters', severity: 'blocker', hop: 'delivery',
    title: 'The message was rejected because it looked infected',
    explanation: 'A virus scanner on the receiving side found (or suspected) malware in the message or an attachment.',
    fix: ['Scan the attachment; send documents as PDF or via a link instead of macros or archives.'],
    trigger: 'A reply or bounce says a virus or malware was found.',
  },
  {
    code: 'delivery.syntax-error', category: 'client-config', severity: 'blocker', hop: 'delivery',
    title: 'The sending program sent a command or address the server could not parse',
    explanation: 'The server refused a command or parameter as malformed (RFC 5321 500/501/503 replies).',
    fix: ['Check the addresses for stray characters; update the mail client or library.'],
    trigger: 'A reply or bounce carries 500/501/503 or 5.5.x (other than a rate limit).',
  },
  {
    code: 'delivery.not-accepting-mail', category: 'dns', severity: 'blocker', hop: 'delivery',
    title: 'The recipient\'s domain does not accept mail',
    explanation: 'The domain publishes a null MX (RFC 7505) or its server answers that it accepts no mail at all.',
    fix: ['Check the recipient address; the domain does not receive email.'],
    trigger: 'A bounce carries 5.1.10 / 556 / 5.7.27 or "does not accept mail".',
  },
  {
    code: 'delivery.auto-reply', category: 'server-settings', severity: 'info', hop: 'delivery',
    title: 'This is an automatic reply, not a bounce',
    explanation: 'The message is an out-of-office or other automatic reply (RFC 3834): the mail was delivered.',
    fix: [],
    trigger: 'The message carries Auto-Submitted: auto-replied or a vacation subject and no delivery status.',
  },
  {
    code: 'delivery.delivered', category: 'server-settings', severity: 'info', hop: 'delivery',
    title: 'The delivery status notification reports a successful delivery',
    explanation: 'A DSN with Action: delivered, relayed or expanded is a receipt, not a failure.',
    fix: [],
    trigger: 'A DSN recipient block with Action delivered / relayed / expanded and a 2.x.x status.',
  },
  {
    code: 'delivery.feedback-report', category: 'spam-filters', severity: 'warning', hop: 'reputation',
    title: 'A recipient reported your message (feedback loop)',
    explanation: 'This is an abuse / feedback report (RFC 5965): a mailbox provider tells you a recipient marked the message as spam or that it failed authentication.',
    fix: ['Remove the complaining recipient from your lists.', 'Check the sending domain\'s SPF, DKIM and DMARC (`sendcheck domain DOMAIN`).'],
    trigger: 'The message is multipart/report; report-type=feedback-report (ARF).',
  },
];

// Catalog entries for the network path as seen from the sender: who blocks (this network, the ISP, the server),
// how (drop, reset, ICMP, close), middleboxes that rewrite SMTP, TLS interception and local evidence.
// Produced by rules/port-blockage.ts, rules/firewall.ts and rules/security-software.ts from Facts.extra.network.
import type { FindingDef } from '../types.js';

export const NETWORK_FINDINGS: FindingDef[] = [
  // ------------------------------------------------------------------ who blocks
  {
    code: 'port.blocked-locally', refines: ['port.filtered', 'port.refused', 'port.unreachable', 'connect.all-filtered', 'connect.nothing-listening'], category: 'port-blockage', severity: 'blocker', hop: 'connect',
    title: 'Your network blocks outgoing {ports}',
    explanation: 'Outgoing {ports}: blocked towards the mail server and towards an independent reference server ({reference}) alike, so the block is on your side: this machine\'s firewall, your router, your organisation\'s firewall or your Internet provider. Providers and cloud hosts commonly block outgoing port 25 to stop spam from infected machines; some networks block every mail port.',
    fix: [
      'Send through submission instead: port 587 with STARTTLS or port 465 with SSL/TLS, with your account\'s login (see "What works").',
      'For port 25: ask your Internet or cloud provider to unblock it, or use their relay (smarthost).',
      'On a company or school network, ask the network administrators which mail ports are allowed.',
    ],
    trigger: 'A mail port times out, is reset or rejected with ICMP towards the server and towards the reference endpoint on the same port and address family.',
  },
  {
    code: 'port.blocked-towards-server', refines: ['port.filtered', 'port.refused', 'port.unreachable', 'connect.all-filtered', 'connect.nothing-listening'], category: 'firewall', severity: 'blocker', hop: 'connect',
    title: 'Blocked only towards this server: {ports}',
    explanation: 'The reference server ({reference}) is reachable on {ports} from here, but this mail server is not ({how}). Your network lets these connections out, so the block is specific to this destination: the server does not listen there, its firewall refuses you, a firewall rule about this destination, or the address is stale (the server moved).',
    fix: [
      'Check that {host} is the right server and that it offers {ports} (provider help pages list the ports).',
      'If it used to work, check whether the server\'s address changed or your address is blocked by the server (try from another network).',
    ],
    trigger: 'A mail port is blocked towards the server while the same port and address family reach the reference endpoint.',
  },
  {
    code: 'port.blocked-one-family', category: 'firewall', severity: 'warning', hop: 'connect',
    title: 'Port {port} works over {okFamily} but is blocked over {badFamily}',
    explanation: 'The server has both IPv4 and IPv6 addresses; port {port} answers on {okFamily} but not on {badFamily}. Mail clients that try {badFamily} first hang for a timeout or fail, while others work: "sometimes it sends, sometimes not". {where}',
    fix: [
      'Make the client (or this machine) prefer {okFamily} for now, or use the server\'s {okFamily} address.',
      'Have the {badFamily} firewall or routing fixed (your router/provider when the reference is blocked too, the server\'s operator otherwise).',
    ],
    trigger: 'On one mail port, every address of one family is blocked while an address of the other family is open.',
  },
  // ------------------------------------------------------------------ how it is blocked
  {
    code: 'firewall.silent-drop', category: 'firewall', severity: 'warning', hop: 'connect',
    title: 'Outgoing {ports}: silently dropped on your side',
    explanation: 'Connection attempts get no answer at all, towards the server and the reference alike. A firewall that drops without answering is typical of Internet providers and cloud hosts blocking port 25, and of default-deny company firewalls. Mail clients wait for their full timeout and report "timed out" or "could not connect".',
    fix: ['Use a port that works (587 or 465), or ask the network\'s operator (ISP, cloud provider, IT department) to open outgoing {ports}.', 'If the drop is on this machine: check its firewall for outgoing rules (Windows Defender Firewall, ufw/nftables, Little Snitch).'],
    trigger: 'Connect times out to the server and to the reference on the same port.',
  },
  {
    code: 'firewall.tcp-reset', category: 'firewall', severity: 'warning', hop: 'connect',
    title: 'Outgoing {ports}: rejected with a TCP reset by a firewall on your side',
    explanation: 'The connection was refused at once with a TCP reset, towards the server and the reference alike, and no ICMP error arrived: a firewall close to you answers in the servers\' place (iptables/nftables "reject with tcp-reset", many routers and security suites). Clients report "connection refused".',
    fix: ['Look for an outgoing rule on this machine\'s firewall or security suite that rejects {ports}, then your router\'s.', 'Otherwise use a port that works (587 or 465).'],
    trigger: 'Refused towards server and reference on the same port, and the kernel counted no ICMP destination-unreachable during a repeated attempt.',
  },
  {
    code: 'firewall.icmp-reject', category: 'firewall', severity: 'warning', hop: 'connect',
    title: 'A firewall rejects {ports} with ICMP "{icmp}"',
    explanation: 'An ICMP error ({icmp}) came back instead of a TCP answer. Hosts answer a closed TCP port with a reset, not ICMP, so an ICMP rejection comes from a firewall or router: iptables\' default REJECT (port-unreachable), firewalld/RHEL (host-prohibited), router ACLs (administratively prohibited). {where}',
    fix: ['Find the firewall that rejects: {whereFix}', 'Use a port that is not rejected (see "What works").'],
    trigger: 'ECONNREFUSED with an ICMP destination-unreachable counted by the kernel during the attempt (repeated to be sure), or EHOSTUNREACH/ENETUNREACH/EACCES.',
  },
  {
    code: 'firewall.closed-after-connect', category: 'firewall', severity: 'warning', hop: 'connect',
    title: 'Outgoing {ports}: accepted and closed at once, on your side',
    explanation: 'The TCP connection opens and is closed before any greeting, towards the server and the reference alike: something close to you accepts mail connections in the servers\' place and drops them (a security suite\'s mail shield, a transparent proxy or a firewall with SMTP inspection set to block).',
    fix: ['Check security software on this machine (mail shield / email protection) and the network\'s firewall for SMTP blocking.', 'Use a port that works (see "What works").'],
    trigger: 'Connect succeeds and the connection closes or resets without a byte, on the server and on the reference, same port.',
  },
  {
    code: 'firewall.idle-cut', category: 'firewall', severity: 'warning', hop: 'greeting',
    title: 'Idle connections are cut {when} {side}',
    explanation: 'An SMTP connection left idle was cut ({outcome}) without the server saying goodbye. A stateful firewall or NAT router forgets idle connections; mail clients that pause (writing, big attachments, slow scanning) then fail with "connection reset" or time out mid-send. SMTP servers wait at least 5 minutes (RFC 5321 4.5.3.2) and say 421 when they give up.',
    fix: ['Raise the idle/TCP session timeout on the router or firewall {side} (consumer routers often use 60-300 s; some carrier NATs less).', 'Send right after connecting (most clients do), and avoid clients that keep an SMTP connection open while idle.'],
    trigger: 'The hold test (--hold) connection closes, resets or goes silent during or right after the idle period without a 421 reply.',
  },
  // ------------------------------------------------------------------ application-level filtering
  {
    code: 'filter.banner-masked', category: 'firewall', severity: 'warning', hop: 'greeting',
    title: 'The SMTP greeting is masked by a firewall ("{banner}")',
    explanation: 'The greeting\'s text was replaced by asterisks. Cisco PIX/ASA "inspect esmtp" (formerly "fixup smtp" / MailGuard) does this; the same inspection removes ESMTP keywords such as STARTTLS and AUTH and cuts connections it does not understand, which breaks encrypted and authenticated sending.',
    fix: ['Ask the firewall\'s administrator to disable ESMTP inspection ("no inspect esmtp") for this traffic or to allow STARTTLS.', 'Use port 465 (TLS from the start cannot be inspected), if the server offers it.'],
    trigger: 'The greeting on a mail port is 220 followed mostly by asterisks.',
  },
  {
    code: 'filter.proxy-banner', category: 'security-software', severity: 'warning', hop: 'greeting',
    title: 'Something on your side answers mail connections on {ports} ("{banner}")',
    explanation: 'The mail server and the independent reference server greeted with exactly the same text. Two different servers do not do that: a proxy close to you (a security suite\'s mail shield, a corporate mail gateway or transparent SMTP proxy) accepts the connections and speaks in their place, and decides what reaches the real server.',
    fix: ['Look for security software with mail scanning on this machine, or ask the network administrator about an SMTP proxy or gateway.', 'Turn off its outgoing-mail scanning, or use a port it does not intercept (often 465).'],
    trigger: 'The greeting on a port is identical, character for character, towards the server and towards the reference.',
  },
  {
    code: 'filter.starttls-stripped', refines: ['tls.starttls-not-offered'], category: 'firewall', severity: 'blocker', hop: 'tls',
    title: 'STARTTLS is removed from the server\'s EHLO reply on port {port}',
    explanation: 'Something between you and the server removes STARTTLS from the list of capabilities ({how}). A client that requires encryption stops ("server does not support STARTTLS"); one that does not sends your password in clear text. Firewalls with SMTP inspection (Cisco ASA turns STARTTLS into XXXXXXXA) and some security suites do this.',
    fix: ['Disable SMTP/ESMTP inspection on the firewall, or the security suite\'s mail scanning, for this server.', 'Use port 465 (SSL/TLS from the first byte) if the server offers it: nothing can strip it unnoticed.', 'Never allow the client to send the password without encryption.'],
    trigger: 'EHLO on a port lacks STARTTLS while showing a masked keyword (XXXXXXXA), or lacks it towards both the server and the reference on that port while it is offered on another port.',
  },
  {
    code: 'filter.closed-on-data', category: 'security-software', severity: 'blocker', hop: 'envelope',
    title: 'The connection is cut when DATA begins',
    explanation: 'MAIL FROM and RCPT TO were accepted, then the connection was closed as soon as DATA was sent. Servers answer DATA with 354 or an error; a silent close at this point is the signature of a filter between you and the server (a security suite scanning outgoing mail, a firewall with SMTP inspection), or of a server crash.',
    fix: ['Turn off outgoing-mail scanning in your security software (or exclude the mail program) and test again.', 'Ask the network administrator whether a firewall inspects SMTP (Cisco "inspect esmtp", SonicWall/Fortinet mail filtering).'],
    trigger: 'The optional DATA-start test (--data-probe with --from and --to) sees the connection close or reset right after DATA.',
  },
  {
    code: 'filter.http-intercept', refines: ['smtp.not-smtp'], category: 'firewall', severity: 'blocker', hop: 'greeting',
    title: 'An HTTP answer on mail port {port}: the network intercepts it',
    explanation: 'The mail port answered with HTTP{where}. A captive portal (hotel, train, guest Wi-Fi not yet logged in), a web filter or a transparent proxy answers instead of the mail server.',
    fix: ['Open a web page to complete the network\'s login page (captive portal), then try again.', 'Otherwise use another network, or ask its operator to allow outgoing mail ports.'],
    trigger: 'A mail port answers with an HTTP status line or HTML instead of an SMTP greeting.',
  },
  // ------------------------------------------------------------------ TLS interception
  {
    code: 'security-software.tls-interception', refines: ['tls.certificate-untrusted', 'tls.certificate-self-signed', 'tls.hostname-mismatch'], category: 'security-software', severity: 'blocker', hop: 'tls',
    title: '{product} intercepts the encrypted connection',
    explanation: 'The certificate your mail program receives is issued by "{issuer}", the certificate authority of {product}, not by a public certificate authority of your mail provider. The security software decrypts and re-encrypts mail traffic to scan it; mail clients that do not trust its root (Thunderbird, Java, Node, most phones\' apps) reject the connection with certificate errors, and some servers then refuse the login.',
    fix: ['Turn off scanning of outgoing (SMTP) mail and of encrypted connections in {product}: {disable}', 'Or exclude the mail program or {host} from scanning, then run sendcheck again: the certificate must be issued by a public CA.'],
    trigger: 'An issuer (CN/O/OU) in the certificate chain matches an entry of data/interception-cas.json.',
  },
  {
    code: 'security-software.tls-unknown-interceptor', refines: ['tls.certificate-untrusted', 'tls.certificate-self-signed', 'tls.hostname-mismatch'], category: 'security-software', severity: 'blocker', hop: 'tls',
    title: 'Something on your side re-signs TLS connections ("{issuer}")',
    explanation: 'The mail server and the reference server present certificates from the same untrusted issuer "{issuer}". Two unrelated servers do not share a private certificate authority: a security suite, a corporate TLS-inspection proxy or malware on this network re-signs encrypted connections. The issuer is not in sendcheck\'s list of known products. (A reference run by the same organisation as the server may simply share its private CA: then compare with a public server.)',
    fix: ['Find the product: look up "{issuer}" (it usually names the vendor), check the installed security software and ask your IT department.', 'Disable its mail/TLS scanning for this server, or install its root certificate only if your organisation requires the inspection.'],
    trigger: 'The leaf certificates of the server and of the reference share an issuer that no trusted CA chain vouches for.',
  },
  {
    code: 'security-software.dane-mismatch', category: 'security-software', severity: 'warning', hop: 'tls',
    title: 'The certificate seen from here does not match the server\'s DANE records',
    explanation: 'The server\'s name publishes TLSA records ({name}) that pin its certificate, but the certificate chain this machine receives matches none of them. Either something between you and the server re-signs the connection (security software, a TLS-inspecting proxy), or the records are stale after a certificate change. {adNote}',
    fix: ['If a security suite or proxy intercepts TLS (see other findings), turn off its mail scanning for this server.', 'Otherwise ask the server\'s operator to update the TLSA records (every DANE-checking sender sees the mismatch).'],
    trigger: 'TLSA records exist for _PORT._tcp.HOST and no certificate of the chain presented on the configured port matches any of them.',
  },
  // ------------------------------------------------------------------ local evidence
  {
    code: 'local.proxy-env', category: 'firewall', severity: 'info', hop: 'connect',
    title: 'A proxy is configured in this environment ({names})',
    explanation: 'Proxy variables are set ({names}). SMTP does not go through HTTP proxies; networks that require a web proxy usually block every other outgoing connection, mail included.',
    fix: ['Ask the network administrator for the mail relay to use from this network, or whether mail ports can be opened.', 'Send from outside this network or through your provider\'s webmail/API over the proxy.'],
    trigger: 'http_proxy/https_proxy/all_proxy (any case) is set and some mail port is blocked.',
  },
  {
    code: 'local.mail-port-listener', category: 'security-software', severity: 'info', hop: 'connect',
    title: 'A local program listens on mail {ports}',
    explanation: 'A program on this machine accepts connections on {listeners}. That is a local mail relay (Postfix, a smarthost) or the mail shield of a security suite; a client configured for "localhost" or redirected to it sends through that program instead of your provider.',
    fix: ['If your mail client uses localhost/127.0.0.1 as outgoing server, make sure that program relays to your provider, or point the client at the provider\'s server.', 'If it belongs to security software, its mail scanning may be what interferes: disable it to test.'],
    trigger: 'A socket in LISTEN state on port 25, 465 or 587 in /proc/net/tcp or tcp6, while the server under test is not on this machine.',
  },
  {
    code: 'local.container', category: 'firewall', severity: 'info', hop: 'connect',
    title: 'sendcheck runs inside a container',
    explanation: 'This runs in a container ({evidence}). Its network is the container runtime\'s and the host\'s: a block may come from the host firewall, the orchestrator\'s network policy or the cloud host, not from the machine you think.',
    fix: ['Run sendcheck on the host as well, and compare.', 'Check the container network policy (Kubernetes NetworkPolicy, Docker network settings) for outgoing mail ports.'],
    trigger: 'A container marker (/.dockerenv, /run/.containerenv, a container cgroup of PID 1) is present and some mail port is blocked.',
  },
  {
    code: 'local.cloud-port25', category: 'port-blockage', severity: 'warning', hop: 'connect',
    title: 'This machine runs on {provider}, which blocks outgoing port 25',
    explanation: '{provider} blocks (or throttles) outgoing connections to port 25 from its virtual machines by default, and port 25 is blocked from here. {note}',
    fix: ['Send through submission (port 587 or 465 with a login) or a relay service; {provider}: {howToUnblock}'],
    trigger: 'DMI identity (/sys/class/dmi/id) names a cloud provider known to block port 25, and port 25 is blocked.',
  },
];

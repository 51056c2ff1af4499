// What the rest of a pasted text says about a client error: which server it names (a large provider's, whose name
// always resolves, whose ports are open to everyone and whose certificate every system trusts), whether the host
// name itself is malformed, which interception product issued the certificate, and which TLS mode the client used
// on which port. A client error alone says what failed; with this it says where the fault most likely is.
import { loadDataTable } from '../data.js';

interface ProviderRow { id: string; domains?: string[]; mxSuffixes?: string[]; submission: { host: string }[]; imap?: { host: string }[] }
interface InterceptorRow { id: string; product: string; issuerPatterns: string[]; disableMailScanning?: string | string[] }

let mxIndex: [string, string][] | undefined;
/** A large provider's inbound MX (gmail-smtp-in.l.google.com, *.mail.protection.outlook.com): port 25 is open to all. */
function providerOfMx(host: string): string | undefined {
  mxIndex ??= loadDataTable<ProviderRow>('providers.json').flatMap((p) => (p.mxSuffixes ?? []).map((s) => [s.toLowerCase().replace(/^\./, ''), p.id] as [string, string]));
  // Only a mail host under the suffix (gmail-smtp-in…, mta7.am0…): support.google.com is not an MX.
  return mxIndex.find(([s]) => host.endsWith(`.${s}`) && /(?:^|[.-])(?:mx|smtp|mail|mta|inbound|in)\d*(?:[.-]|$)/.test(host.slice(0, -s.length - 1)))?.[1];
}

let hostIndex: Map<string, string> | undefined;
/** Submission and IMAP host names of the providers table → provider id. */
function providerHosts(): Map<string, string> {
  if (!hostIndex) {
    hostIndex = new Map();
    for (const p of loadDataTable<ProviderRow>('providers.json')) {
      for (const e of [...p.submission, ...(p.imap ?? [])]) if (/[a-z]/i.test(e.host)) hostIndex.set(e.host.toLowerCase(), p.id);
    }
  }
  return hostIndex;
}

const HOST_TOKEN = /(?<![\w.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])/gi;

/** A large provider's server named in the text, exactly (not a look-alike with extra characters). */
export function providerHostIn(text: string): { host: string; provider: string } | undefined {
  const hosts = providerHosts();
  for (const m of text.slice(0, 20_000).matchAll(HOST_TOKEN)) {
    const h = m[1]!.toLowerCase().replace(/\.$/, '');
    const provider = hosts.get(h) ?? providerOfMx(h);
    if (provider) return { host: h, provider };
  }
  return undefined;
}

/** A certificate subject or host that belongs to a large provider's own domain ("CN=outlook.com", "imap.gmail.com"). */
export function providerDomainIn(text: string): string | undefined {
  const named = providerHostIn(text)?.host;
  if (named) return named;
  const m = /\b(?:CN|subject)\s*=\s*\*?\.?((?:[\w-]+\.)*(?:gmail|google|googlemail|outlook|office365|hotmail|live|yahoo|icloud|me|zoho|gmx|web|mail|yandex|aol)\.(?:com|net|de|ru|eu|in))\b/i.exec(text);
  return m?.[1]?.toLowerCase();
}

/** The host name a resolver error quotes, when it is not a well-formed name: quotes, spaces, commas or a port glued
 * to it ("\"smtp.gmail.com\";", "smtp.gmail.com ", "smtp.mail.ru,"). Such a name never resolves: the setting is
 * malformed, whatever the server. */
export function malformedHostName(text: string): string | undefined {
  // The library's own field first: it keeps spaces and punctuation that the message text drops.
  const name = /hostname:\s*'([^'\n]{1,300})'/i.exec(text)?.[1] ?? /hostname"\s*:\s*"([^"\n]{1,300})"/i.exec(text)?.[1] ?? /getaddrinfo \w+ (\S{1,300})/i.exec(text)?.[1];
  if (name === undefined) return undefined;
  return /^[a-z0-9.-]+$/i.test(name) && !/^\.|\.\.|^-/.test(name) ? undefined : name;
}

let interceptors: { row: InterceptorRow; patterns: string[] }[] | undefined;
/** A security product whose certificate authority the text quotes (an issuer line from openssl or a dialog). */
export function interceptorIn(text: string): InterceptorRow | undefined {
  interceptors ??= loadDataTable<InterceptorRow>('interception-cas.json').map((row) => ({ row, patterns: row.issuerPatterns.map((p) => p.toLowerCase()) }));
  const t = text.slice(0, 200_000).toLowerCase();
  return interceptors.find((i) => i.patterns.some((p) => t.includes(p)))?.row;
}

/** The client used implicit TLS (SSL from the first byte) on a port that speaks plaintext first: ssl:// or tls:// on
 * 25/587/2525/110/143, "secure: true" with port 587, or a MailKit/.NET Connect(host, 587, true). */
export function implicitTlsOnPlainPort(text: string): boolean {
  return /\b(?:ssl|tls):\/\/[\w.-]+:(?:25|587|2525|110|143)\b/i.test(text)
    || (/\bsecure\s*[:=]\s*true\b/i.test(text) && /\bport\s*[:=]\s*(?:25|587|2525)\b/i.test(text))
    || /Connect\s*\(\s*["'][\w.-]+["']\s*,\s*(?:25|587)\s*,\s*true\s*\)/.test(text);
}

/** A Python traceback whose failing call was the connection itself (SMTP(...) / connect()), not login or DATA. */
export function failedWhileConnecting(text: string): boolean {
  return /in (?:connect|__init__)\b|self\.connect\(|smtplib\.SMTP(?:_SSL)?\(/.test(text) && !/in (?:login|auth|data|sendmail|send_message|starttls)\b/.test(text);
}

/** The client spoke plaintext first to the implicit-TLS port 465, where the server waits for a TLS handshake and
 * never greets: JavaMail's debug line "port 465, isSSL false" (the smtp, not smtps, transport without
 * mail.smtp.ssl.enable), Python's plain smtplib.SMTP(…) (not SMTP_SSL) in a text that names port 465, or Go's bare
 * "EOF" in a text that names port 465. */
export function plainClientOnImplicitPort(text: string, entry?: string): boolean {
  const t = text.slice(0, 20_000);
  const names465 = /(?<![\d.])465(?![\d.])/.test(t);
  // Go's net/smtp (smtp.SendMail, smtp.Dial) has no implicit TLS: on 465 it waits for a greeting, then gets EOF.
  if (entry === 'go-eof') return names465;
  return /\bport:? 465, isSSL false\b/i.test(t) || (/\bsmtplib\.SMTP\s*\(/.test(t) && !/\bSMTP_SSL\b/.test(t) && names465);
}

/** The text names only plaintext-first ports (25, 587, 2525: "port: 587", "52.98.89.34:587") and never 465: a client
 * that waited there in vain for the greeting met a silent server or path, not the implicit-TLS port. */
export function namesOnlyPlaintextPorts(text: string): boolean {
  const t = text.slice(0, 20_000);
  return /(?:\bport\W{0,4}|[\w\]]:)(?:25|587|2525)\b/i.test(t) && !/(?<![\d.])465(?![\d.])/.test(t);
}

/** A client's transcript in which the server accepted STARTTLS (its 220 reply) and the client's next words are its
 * failure, with no EHLO between: the TLS handshake itself failed (a certificate the client does not trust, or no
 * TLS version in common). PHPMailer says only "SMTP Error: Could not connect to SMTP host." there. */
const FAILED_AFTER_STARTTLS = /CLIENT -> SERVER: STARTTLS\b(?:(?!CLIENT -> SERVER)[\s\S]){0,400}?SERVER -> CLIENT: 220[ -](?:(?!CLIENT -> SERVER: (?:EHLO|HELO))[\s\S]){0,300}?(?:Could not connect to SMTP host|SMTP connect\(\) failed)/i;

export function failedAfterStarttlsAccepted(text: string): boolean {
  const at = text.indexOf('STARTTLS');
  return at >= 0 && FAILED_AFTER_STARTTLS.test(text.slice(Math.max(0, at - 20), at + 200_000));
}

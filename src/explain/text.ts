// Pasted text or a log (not a message) read for explain: its lines (lines.ts), or its words when no line reads as a
// reply or a known error; each client error then read with the rest of the text (the server and port it names, the
// interception product or issuer it quotes), and what the text names kept for the command to run next.
import type { ExplainItem, ExplainResult } from '../facts/explain.js';
import { firstAddress } from './addresses.js';
import { failedAfterStarttlsAccepted, failedWhileConnecting, implicitTlsOnPlainPort, interceptorIn, malformedHostName, namesOnlyPlaintextPorts, plainClientOnImplicitPort, providerDomainIn, providerHostIn } from './context.js';
import { explainLines } from './lines.js';
import { classifyExplained, oneLine, redactSecrets } from './reading.js';
import { unwrapReplies } from './unwrap.js';

const AUTO_REPLY_WORDS = /out of (the )?office|away (on vacation|until|from (the )?office)|i am (currently )?away|will be (traveling|travelling|out|away)|on (annual |parental )?leave|abwesend|automatic reply|auto-?reply/i;

/** Text with no reply line and no known client error: what its words (and any status code in them) say. */
function explainWords(text: string): ExplainItem[] {
  const words = text.slice(0, 4000);
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(words)?.[1];
  // Only a failure code can be the reply's: a 2xx in free words is a count ("(313/250 (125%)) allowed"), not a reply.
  const code = /(?:^|[^\d.])([45]\d\d)(?:[^\d.]|$)/.exec(words)?.[1];
  const c = classifyExplained({ code: code ? Number(code) : undefined, enhanced, text: words }, false);
  if (c && (c.basis === 'text' || enhanced)) return [{ kind: 'reply', code: c.code, confidence: c.confidence === 'certain' ? 'likely' : c.confidence, text: oneLine(words), status: enhanced, entry: c.entry?.id }];
  if (AUTO_REPLY_WORDS.test(words)) return [{ kind: 'auto-reply', code: 'delivery.auto-reply', confidence: 'possible', text: oneLine(words) }];
  return [];
}

/** Client errors that only name the failing step, not why: a reply or a specific error in the same text says more. */
const GENERIC_CLIENT_ERRORS = new Set(['eauth', 'php-connect-failed', 'java-convert-to-tls', 'tls-handshake', 'py-disconnected', 'econnreset']);

const CERT_CHAIN_CODES = new Set(['tls.certificate-untrusted', 'security-software.interception-suspected']);
const CONNECT_CODES = new Set(['port.refused', 'port.filtered', 'port.unreachable']);
const TLS_MODE_SYMPTOMS = new Set(['tls.handshake-failed', 'connect.closed-on-connect', 'smtp.session-dropped', 'smtp.greeting-timeout', 'tls.mode-mismatch.starttls-on-implicit-port']);
const PLAIN_ON_465_SYMPTOMS = new Set(['connect.closed-on-connect', 'smtp.session-dropped', 'smtp.greeting-timeout']);

/** A resolve, connect or dropped-session error read with the server the text names and what it says it was doing. */
function refinePathError(it: ExplainItem, text: string, provider: ReturnType<typeof providerHostIn>, loopback: boolean): void {
  if (it.code === 'resolve.nxdomain' || it.code === 'resolve.timeout') {
    if (malformedHostName(text) !== undefined) it.code = 'resolve.nxdomain';
    else if (provider) it.code = 'resolve.local-failure-suspected';
  } else if (CONNECT_CODES.has(it.code) && provider && !loopback) {
    it.code = 'connect.local-block-suspected';
  } else if (it.code === 'smtp.session-dropped' && failedWhileConnecting(text)) {
    it.code = 'connect.closed-on-connect';
  }
}

/** A certificate error read with the interception product or the provider the text names. */
function refineCertificateError(it: ExplainItem, text: string, provider: ReturnType<typeof providerHostIn>, product: ReturnType<typeof interceptorIn>): void {
  if (product && (CERT_CHAIN_CODES.has(it.code) || it.code === 'tls.certificate-self-signed' || it.code === 'tls.hostname-mismatch')) {
    it.code = 'security-software.tls-interception';
    it.confidence = 'certain';
    it.vars = { product: product.product, issuer: product.issuerPatterns[0], disable: [product.disableMailScanning ?? []].flat()[0] ?? 'its mail scanning settings', host: provider?.host ?? 'the mail server' };
  } else if (it.code === 'tls.certificate-untrusted' && providerDomainIn(text)) {
    it.code = 'security-software.interception-suspected';
    it.confidence = 'likely';
  }
}

/** A client error read with the rest of the text: the server it names, the TLS mode and port it used, the issuer
 * it quotes. Replies from a server are left alone: the server's words already say where the fault is. */
function refineByContext(items: ExplainItem[], text: string): void {
  const provider = providerHostIn(text);
  const loopback = /\b(?:127\.0\.0\.1|::1|localhost)\b/i.test(text);
  const product = interceptorIn(text);
  for (const it of items) {
    if (it.kind !== 'client-error' && it.kind !== 'outlook-error') continue;
    refinePathError(it, text, provider, loopback);
    refineCertificateError(it, text, provider, product);
    refineTlsMode(it, text);
  }
}

/** A client error read with the TLS mode the text says the client used on its port, or with the step of the
 * transcript it came at. Each needs two facts to agree, so each is likely. */
function refineTlsMode(it: ExplainItem, text: string): void {
  // A dropped session after SSL on a plaintext port is the mode mismatch itself.
  if (TLS_MODE_SYMPTOMS.has(it.code) && implicitTlsOnPlainPort(text)) Object.assign(it, { code: 'tls.mode-mismatch.implicit-on-starttls-port', confidence: 'likely', entry: 'context: SSL on a plaintext port' });
  // Silence or a closed connection after plaintext to port 465 is the opposite mismatch.
  else if (PLAIN_ON_465_SYMPTOMS.has(it.code) && plainClientOnImplicitPort(text, it.entry)) Object.assign(it, { code: 'tls.mode-mismatch.starttls-on-implicit-port', confidence: 'likely', entry: 'context: plaintext on port 465' });
  // "Greeting never received" where the text names only plaintext-first ports (on a line of its own, not the error's).
  else if (it.entry === 'nodemailer-greeting' && it.code === 'tls.mode-mismatch.starttls-on-implicit-port' && namesOnlyPlaintextPorts(text)) Object.assign(it, { code: 'smtp.greeting-timeout', entry: 'context: no greeting on a plaintext port' });
  // A wrapper's "could not connect" right after the server accepted STARTTLS: the handshake failed.
  else if (it.entry === 'php-connect-failed' && failedAfterStarttlsAccepted(text)) Object.assign(it, { code: 'tls.handshake-failed', confidence: 'likely', entry: 'context: failed right after STARTTLS was accepted' });
}

/** A wrapper's guess ("SMTP connect() failed", "could not convert socket to TLS") or a library's generic class name
 * ("SMTPAuthenticationError", "Could not authenticate") adds nothing when the same text also gives the specific cause. */
function withoutWrapperGuesses(items: ExplainItem[]): ExplainItem[] {
  const generic = (i: ExplainItem) => i.kind === 'client-error' && (i.confidence === 'possible' || GENERIC_CLIENT_ERRORS.has(i.entry ?? ''));
  return items.some((i) => !generic(i) && i.confidence !== 'possible') ? items.filter((i) => !generic(i)) : items;
}

/** The names a hostname-mismatch error lists ("… is not in the cert's altnames: DNS:botden.cf, DNS:www.botden.cf"). */
function certNamesIn(text: string, code: string): Record<string, string> {
  if (code !== 'tls.hostname-mismatch') return {};
  const m = /not in the cert's (?:altnames|list):?\s*([^\n"']{1,500})/i.exec(text) ?? /certificate is valid for ([^\n,]{1,200}(?:, [^\n,]{1,200}){0,10}), not /i.exec(text);
  const names = m?.[1]?.match(/(?:DNS:)?\*?\.?[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi)?.map((n) => n.replace(/^DNS:/i, '')) ?? [];
  const host = /Host: ([a-z0-9.-]+?)\.? is not in/i.exec(text)?.[1];
  if (!names.length) return host ? { host } : {};
  return { certNames: names.join(', '), suggestedHost: names.find((n) => !n.startsWith('*')) ?? names[0]!, ...(host ? { host } : {}) };
}

function hostIn(text: string): string | undefined {
  return /\b(?:smtp|mail|mx|smtp-mail|submission)\.[a-z0-9-]+(?:\.[a-z0-9-]+)+/i.exec(text)?.[0];
}

/** The port the text names ("port 465", or after the host it names: "smtp.example.com:587"). */
function portIn(text: string, host: string | undefined): number | undefined {
  const portM = /\bport\W{0,3}(\d{2,5})\b/i.exec(text) ?? (host ? new RegExp(`${host.replace(/\./g, '\\.')}:(\\d{2,5})\\b`).exec(text) : null);
  const port = portM ? Number(portM[1]) : undefined;
  return port && port < 65536 ? port : undefined;
}

/** Pasted text or a log (CRLF already read as LF) → what it says. */
export function readText(raw: string): ExplainResult {
  const text = unwrapReplies(redactSecrets(raw));
  const cut: string[] = [];
  const read = explainLines(text, cut);
  if (!read.length) read.push(...explainWords(text));
  refineByContext(read, text);
  const items = withoutWrapperGuesses(read);
  const host = hostIn(text);
  const port = portIn(text, host);
  for (const it of items) it.vars = { ...(host ? { host } : {}), ...(port ? { port: String(port) } : {}), ...certNamesIn(text, it.code), ...it.vars };
  return { input: 'text', sender: firstAddress(text, 'narrow'), ...(host ? { host } : {}), ...(port ? { port } : {}), items, ...(cut.length ? { cut } : {}) };
}

// TLS handshake with inspection: we never let Node reject a bad certificate mid-handshake, because the
// diagnosis needs the certificate; we judge trust and hostname ourselves and record every detail.
import net from 'node:net';
import tls from 'node:tls';
import { secureContextFor } from './trust.js';
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateSummary, CertProblem, TlsErrorClass, TlsFact } from '../facts/types.js';

export interface TlsOptions {
  socket: net.Socket;
  /** The name the user configured: certificate checked against it; sent as SNI unless it is an IP. */
  servername: string;
  address: string;
  port: number;
  mode: 'implicit-tls' | 'starttls';
  timeoutMs: number;
  /** Extra trusted roots (PEM), added to Node's bundled store. */
  ca?: string[];
  signal?: AbortSignal;
  /** Accept TLS 1.0/1.1 and weak ciphers: only to learn what an outdated server speaks, never to send. */
  legacy?: boolean;
}

export function classifyTlsError(err: NodeJS.ErrnoException | Error & { code?: string; reason?: string }): TlsErrorClass {
  const text = `${err.code ?? ''} ${err.message} ${(err as { reason?: string }).reason ?? ''}`.toLowerCase();
  if (text.includes('wrong version number') || text.includes('packet length too long') || text.includes('http request')) return 'wrong-version-number';
  if (text.includes('unsupported protocol') || text.includes('protocol version') || text.includes('no protocols available') || text.includes('version too low')) return 'protocol-version';
  if (text.includes('no shared cipher') || text.includes('handshake failure') || text.includes('no ciphers available') || text.includes('insufficient security')) return 'cipher-mismatch';
  if (text.includes('socket hang up') || text.includes('econnreset') || text.includes('disconnected before secure')) return 'closed-during-handshake';
  return 'other';
}

function cn(dn: string): string | undefined {
  return /(?:^|\n|,\s*)CN=([^\n,]+)/.exec(dn)?.[1];
}

export function summarize(cert: X509Certificate): CertificateSummary {
  const sans = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((s) => s.replace(/^IP Address:/, 'IP:'));
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    subjectCN: cn(cert.subject),
    issuer: cert.issuer.replace(/\n/g, ', '),
    issuerCN: cn(cert.issuer),
    sans,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    fingerprint256: cert.fingerprint256,
    selfIssued: cert.subject === cert.issuer,
    spkiSha256: createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
  };
}

function chainOf(sock: tls.TLSSocket): CertificateSummary[] {
  const out: CertificateSummary[] = [];
  let c = sock.getPeerX509Certificate();
  const seen = new Set<string>();
  while (c && !seen.has(c.fingerprint256) && out.length < 10) {
    seen.add(c.fingerprint256);
    out.push(summarize(c));
    c = c.issuerCertificate;
  }
  return out;
}

const EXPIRED = new Set(['CERT_HAS_EXPIRED']);
const NOT_YET = new Set(['CERT_NOT_YET_VALID']);
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);

type FactBase = Omit<TlsFact, 'ok' | 'ms'>;

/** What is wrong with the presented certificate: Node's verdict on the chain, the validity dates, our host check. */
function certProblems(authErr: string | undefined, leaf: CertificateSummary | undefined, hostErr: Error | undefined, now: number): CertProblem[] {
  const problems: CertProblem[] = [];
  if (authErr && EXPIRED.has(authErr)) problems.push('expired');
  else if (leaf && Date.parse(leaf.validTo) < now) problems.push('expired');
  if (authErr && NOT_YET.has(authErr)) problems.push('not-yet-valid');
  if (authErr && SELF_SIGNED.has(authErr)) problems.push('self-signed');
  else if (authErr && !EXPIRED.has(authErr) && !NOT_YET.has(authErr)) problems.push('untrusted');
  if (hostErr) problems.push('hostname-mismatch');
  return problems;
}

/** The facts of a completed handshake: protocol, cipher, the chain, and our own verdict on trust and host name. */
function handshakeFact(sock: tls.TLSSocket, servername: string, base: FactBase, ms: () => number): TlsFact {
  // getPeerCertificate() must come first: after getPeerX509Certificate() Node 20 returns {} for it.
  const peer = sock.getPeerCertificate();
  const chain = chainOf(sock);
  const authErr = sock.authorizationError ? String(sock.authorizationError) : undefined;
  const hostErr = peer && Object.keys(peer).length ? tls.checkServerIdentity(servername, peer) : new Error('no certificate');
  const leaf = chain[0];
  const now = Date.now();
  const daysToExpiry = leaf ? Math.floor((Date.parse(leaf.validTo) - now) / 86_400_000) : undefined;
  const problems = certProblems(authErr, leaf, hostErr, now);
  return {
    ...base,
    ok: true,
    protocol: sock.getProtocol() ?? undefined,
    cipher: sock.getCipher()?.standardName ?? sock.getCipher()?.name,
    chain,
    trusted: !authErr,
    authorizationError: authErr,
    hostnameMatch: !hostErr,
    daysToExpiry,
    problems,
    ms: ms(),
  };
}

/** The facts of a handshake that failed with an error (not a timeout). */
function handshakeErrorFact(err: NodeJS.ErrnoException, base: FactBase, ms: () => number): TlsFact {
  // OpenSSL's `reason` ("wrong version number") is what users search for; the full message is noise.
  const reason = (err as { reason?: string }).reason;
  return { ...base, ok: false, error: { class: classifyTlsError(err), message: reason ?? err.message.split('\n')[0]!, code: err.code }, ms: ms() };
}

/** Runs a handshake over `socket` and returns the facts plus the secure socket (when it succeeded). */
export function tlsHandshake(opts: TlsOptions): Promise<{ fact: TlsFact; socket?: tls.TLSSocket }> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const isIp = net.isIP(opts.servername) !== 0;
  const base: FactBase = {
    kind: 'tls', mode: opts.mode, address: opts.address, port: opts.port, servername: opts.servername, chain: [], problems: [],
  };
  return new Promise((resolve) => {
    const sock = tls.connect({
      socket: opts.socket,
      servername: isIp ? undefined : opts.servername,
      rejectUnauthorized: false,
      // We check the host name ourselves (handshakeFact); Node's own check would put its verdict into
      // authorizationError and hide the chain's.
      checkServerIdentity: () => undefined,
      secureContext: secureContextFor(opts.ca, opts.legacy),
    });
    let done = false;
    const finish = (fact: TlsFact, ok?: tls.TLSSocket) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (!ok) {
        sock.on('error', () => {});
        sock.destroy();
      }
      resolve({ fact, socket: ok });
    };
    const onAbort = () => finish({ ...base, ok: false, error: { class: 'handshake-timeout', message: 'aborted' }, ms: ms() });
    const timer = setTimeout(
      () => finish({ ...base, ok: false, error: { class: 'handshake-timeout', message: `TLS handshake not completed within ${opts.timeoutMs} ms` }, ms: ms() }),
      opts.timeoutMs,
    );
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('error', (err: NodeJS.ErrnoException) => finish(handshakeErrorFact(err, base, ms)));
    sock.once('secureConnect', () => {
      sock.removeAllListeners('error');
      sock.on('error', () => {});
      finish(handshakeFact(sock, opts.servername, base, ms), sock);
    });
  });
}

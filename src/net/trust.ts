// The trust store: the system's (Node's bundled) roots plus any --ca certificates, built once per distinct set and
// reused by every handshake of the run (one per run, not one per handshake: that was most of a check's time).
import type net from 'node:net';
import tls from 'node:tls';

const contexts = new Map<string, tls.SecureContext>();

/**
 * The SecureContext for handshakes that trust the bundled roots plus `extraCa` (PEM texts). `legacy` also allows
 * TLS 1.0/1.1 and every cipher, for the probe that tells an outdated server from a broken one.
 * Undefined without extra CAs and without legacy: Node's default context already holds the bundled roots.
 */
export function secureContextFor(extraCa: readonly string[] | undefined, legacy = false): tls.SecureContext | undefined {
  if (!extraCa?.length && !legacy) return undefined;
  const key = `${legacy ? 'legacy' : 'modern'}\0${(extraCa ?? []).join('\0')}`;
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = withExtraCas(legacy ? { minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' } : {}, extraCa ?? []);
    contexts.set(key, ctx);
  }
  return ctx;
}

/**
 * A context on Node's own root store (bundled roots, NODE_EXTRA_CA_CERTS, --use-openssl-ca) plus `extraCa`. Adding
 * to the native context copies the already parsed store (<1 ms); `ca: [...tls.rootCertificates, ...]` parses
 * ~140 PEM texts again (~25 ms, a fifth of a healthy check). Falls back to that where the native call is missing.
 */
function withExtraCas(options: tls.SecureContextOptions, extraCa: readonly string[]): tls.SecureContext {
  const ctx = tls.createSecureContext(options);
  const native = (ctx as unknown as { context?: { addCACert?: (pem: string) => void } }).context;
  if (!extraCa.length) return ctx;
  if (typeof native?.addCACert !== 'function') return tls.createSecureContext({ ...options, ca: [...tls.rootCertificates, ...extraCa] });
  for (const pem of extraCa) native.addCACert(pem);
  return ctx;
}

/** The CA list for a library that takes `ca` rather than a SecureContext (imapflow): undefined means Node's roots. */
export function trustedCas(extraCa: readonly string[]): string[] | undefined {
  return extraCa.length ? [...tls.rootCertificates, ...extraCa] : undefined;
}

/** TLS on an open socket (POP3's STLS), verified against the run's trust store; rejects on failure or timeout. */
export function upgradeToTls(socket: net.Socket, servername: string | undefined, ca: readonly string[], timeoutMs: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ socket, servername, secureContext: secureContextFor(ca.length ? ca : undefined), rejectUnauthorized: true });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('TLS handshake timed out'));
    }, timeoutMs);
    s.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

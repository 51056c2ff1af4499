// Scripted SMTP servers on loopback for `sendcheck demo` and the tests: real SMTP conversations (smtp-server,
// the field's own server library) with faults on demand, plus raw sockets for what no SMTP library will do
// (never greet, greet endlessly, speak HTTP, reject in the banner).
import net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { demoCert, type DemoCertName } from './certs.js';

export type Fault =
  | 'none'
  | 'auth-rejected'
  | 'app-password-required'
  | 'web-login-required'
  | 'smtp-auth-disabled'
  | 'too-many-attempts'
  | 'auth-temporary'
  | 'oauth-only'
  | 'relay-denied'
  | 'sender-rejected'
  | 'rate-limited'
  | 'greylisted'
  | 'ip-blocked'
  | 'auth-required'
  | 'data-rejected'
  /** A broken server that echoes the password it was given in its refusal. */
  | 'echo-password';

export interface ScriptedOptions {
  /** implicit TLS from the first byte, or plaintext with STARTTLS. */
  mode: 'implicit-tls' | 'starttls' | 'plain';
  /** A demo certificate by name, or a key/cert pair made by the caller. */
  cert?: DemoCertName | { key: string; cert: string };
  fault?: Fault;
  /** TLS settings for outdated-server scenarios. */
  tls?: { minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2'; maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; ciphers?: string };
  host?: string;
  port?: number;
  /** The accepted credentials (PLAIN/LOGIN). */
  user?: string;
  password?: string;
  /** Called with every authentication attempt (tests count them: we must never try twice). */
  onAuthAttempt?: (username: string | undefined) => void;
}

export interface RunningServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const AUTH_FAULTS: Partial<Record<Fault, [number, string]>> = {
  'auth-rejected': [535, '5.7.8 Username and Password not accepted. Learn more at https://support.example/badcredentials'],
  'app-password-required': [534, '5.7.9 Application-specific password required. Learn more at https://support.example/apppasswords'],
  'web-login-required': [534, '5.7.14 Please log in via your web browser and then try again.'],
  'smtp-auth-disabled': [535, '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.'],
  'too-many-attempts': [454, '4.7.0 Too many login attempts, please try again later.'],
  'auth-temporary': [454, '4.7.0 Temporary authentication failure'],
};

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/** The conversation's script: which step refuses, with which reply, for the fault asked for. */
function faultHandlers(fault: Fault, opts: ScriptedOptions): Pick<SMTPServerOptions, 'onAuth' | 'onMailFrom' | 'onRcptTo' | 'onData'> {
  const user = opts.user ?? 'demo@demo.test';
  const password = opts.password ?? 'demo-password';
  return {
    onAuth(auth, _session, cb) {
      opts.onAuthAttempt?.(auth.username);
      const f = AUTH_FAULTS[fault];
      if (f) return cb(smtpError(f[0], f[1]));
      if (fault === 'echo-password') return cb(smtpError(535, `5.7.8 Authentication failed for ${auth.username} with password ${auth.password ?? ''} (${Buffer.from(`\0${auth.username}\0${auth.password ?? ''}`).toString('base64')})`));
      const ok = auth.method === 'CRAM-MD5' ? auth.username === user && auth.validatePassword?.(password) : auth.username === user && auth.password === password;
      if (!ok) return cb(smtpError(535, '5.7.8 Authentication credentials invalid'));
      cb(null, { user: auth.username });
    },
    onMailFrom(address, session, cb) {
      if (fault === 'sender-rejected') return cb(smtpError(553, '5.7.1 <' + address.address + '>: Sender address rejected: not owned by user'));
      if (fault === 'rate-limited') return cb(smtpError(421, '4.7.0 Message rate limit exceeded for this account, try again later'));
      if (fault === 'ip-blocked') return cb(smtpError(554, '5.7.1 Service unavailable; your IP address is blocked by local policy'));
      if (fault === 'auth-required' && !session.user) return cb(smtpError(530, '5.7.0 Authentication required'));
      cb();
    },
    onRcptTo(address, session, cb) {
      if (fault === 'greylisted') return cb(smtpError(451, '4.7.1 <' + address.address + '>: Recipient address rejected: Greylisted, please try again later'));
      if (fault === 'relay-denied' && !session.user) return cb(smtpError(554, '5.7.1 <' + address.address + '>: Relay access denied'));
      cb();
    },
    onData(stream, _s, cb) {
      stream.resume();
      stream.on('end', () => (fault === 'data-rejected' ? cb(smtpError(554, '5.6.0 Message refused by local content policy')) : cb()));
    },
  };
}

export async function startScriptedSmtp(opts: ScriptedOptions): Promise<RunningServer> {
  const fault = opts.fault ?? 'none';
  const { key, cert } = typeof opts.cert === 'object' ? opts.cert : demoCert(opts.cert ?? 'server');
  const server = new SMTPServer({
    secure: opts.mode === 'implicit-tls',
    key, cert,
    ...(opts.tls ?? {}),
    disabledCommands: opts.mode === 'plain' ? ['STARTTLS'] : [],
    authMethods: fault === 'oauth-only' ? ['XOAUTH2'] : ['PLAIN', 'LOGIN', 'CRAM-MD5'],
    authOptional: fault !== 'auth-required',
    allowInsecureAuth: opts.mode === 'plain',
    banner: 'demo ESMTP ready',
    name: 'mail.demo.test',
    logger: false,
    disableReverseLookup: true,
    socketTimeout: 10_000,
    ...faultHandlers(fault, opts),
  });
  server.on('error', () => {});
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    host, port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Close lingering client connections so tests end promptly.
      setTimeout(resolve, 500).unref();
    }),
  };
}

export type RawBehaviour = 'silent' | 'endless-line' | 'many-lines' | 'http' | 'close-at-once' | 'banner-reject' | 'drop-after-ehlo';

/**
 * Writes what `next` gives until it gives undefined or the socket closes, as fast as the socket drains, but never more
 * than a batch per turn of the event loop: loopback takes megabytes without pushing back, and a server in the same
 * process as the client it floods (the tests, `sendcheck demo`) would otherwise hold the loop for hundreds of
 * milliseconds, so the client's connect and timers, not its size limits, would decide what it sees.
 */
function floodSocket(sock: net.Socket, next: () => string | Buffer | undefined): void {
  const BATCH = 64;
  const pump = (): void => {
    for (let n = 0; n < BATCH; n++) {
      if (sock.destroyed) return;
      const piece = next();
      if (piece === undefined) return;
      if (!sock.write(piece)) return void sock.once('drain', pump);
    }
    setImmediate(pump);
  };
  pump();
}

/** A raw TCP server that misbehaves in ways no SMTP library allows. */
export async function startRawServer(behaviour: RawBehaviour, host = '127.0.0.1', port = 0): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
    switch (behaviour) {
      case 'silent':
        sock.resume();
        break;
      case 'endless-line': {
        // One line that never ends, as fast as the socket drains.
        const chunk = Buffer.alloc(16 * 1024, 'A');
        sock.write('220-');
        floodSocket(sock, () => chunk);
        break;
      }
      case 'many-lines': {
        let i = 0;
        floodSocket(sock, () => (i++ < 100_000 ? `220-line ${i} of an endless greeting\r\n` : undefined));
        break;
      }
      case 'http':
        sock.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>Bad Request</body></html>');
        break;
      case 'close-at-once':
        sock.destroy();
        break;
      case 'banner-reject':
        sock.end('554 5.7.1 mail.demo.test ESMTP not accepting connections from your address\r\n');
        break;
      case 'drop-after-ehlo':
        sock.write('220 mail.demo.test ESMTP\r\n');
        sock.once('data', () => sock.destroy());
        break;
    }
  });
  return listenTracked(server, sockets, host, port);
}

/** Listens, and on close() also ends the connections still open (tests must not wait for idle clients). */
export async function listenTracked(server: net.Server, sockets: Set<net.Socket>, host: string, port: number): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A loopback port with nothing listening (bound, then released). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, host, () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A plaintext SMTP dialog scripted reply by reply, for replies no SMTP library produces on demand
 * (STARTTLS refused, EHLO and HELO rejected, 504 to AUTH …). Unscripted commands get a plain 250. */
export interface DialogScript {
  greeting?: string;
  ehlo?: string[];
  /** [command pattern, reply lines] pairs, first match wins. */
  replies?: [RegExp, string][];
}

export async function startDialogServer(script: DialogScript, host = '127.0.0.1'): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
    sock.write(`${script.greeting ?? '220 dialog.demo.test ESMTP'}\r\n`);
    onLines(sock, (line) => {
      const hit = script.replies?.find(([re]) => re.test(line));
      if (hit) sock.write(`${hit[1]}\r\n`);
      else if (/^EHLO /i.test(line)) {
        const caps = script.ehlo ?? ['PIPELINING'];
        sock.write([`250${caps.length ? '-' : ' '}dialog.demo.test`, ...caps.map((c, k) => `250${k === caps.length - 1 ? ' ' : '-'}${c}`)].join('\r\n') + '\r\n');
      } else if (/^QUIT/i.test(line)) sock.end('221 2.0.0 Bye\r\n');
      else sock.write('250 2.0.0 OK\r\n');
    });
  });
  return listenTracked(server, sockets, host, 0);
}

/** Calls `fn` with each line a client sends (CR/LF removed, bytes as latin1): the scripted servers' line reader. */
export function onLines(sock: net.Socket, fn: (line: string) => void): void {
  let buf = '';
  sock.on('data', (chunk: Buffer) => {
    buf += chunk.toString('latin1');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).replace(/\r$/, '');
      buf = buf.slice(i + 1);
      fn(line);
    }
  });
}

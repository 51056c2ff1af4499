// A hostile SMTP server for the secrets harness (test/hostile/secrets.test.ts): implicit TLS with the demo
// certificate (so sendcheck does send the password), control characters in every reply, and once it has the
// password, replies that echo its bytes in every encoding a server could use: raw, double-encoded UTF-8, base64
// (padded, unpadded, URL-safe, the SASL payload as received), hex in both cases, URL-encoding, quoted-printable,
// and once placed across the 512-character cut of a transcript line.
import tls from 'node:tls';
import type net from 'node:net';
import { demoCert } from '../../src/lab/certs.js';

/** Terminal attacks: hide text (ESC[8m), 8-bit CSI (U+009B), an OSC title set ended by ST (U+009D … U+009C), BEL. */
export const CONTROL_NOISE = '\x1b[8mhidden\x1b[0m \x9b31mred \x9d0;pwned\x9c \x07\x7f';
/** What every echo line carries around the secret, so a test can see whether an echo line survived. */
export const ECHO = 'ECHO[';

export interface EchoServer {
  port: number;
  /** AUTH attempts seen (sendcheck makes at most one). */
  authAttempts: number;
  close(): Promise<void>;
}

function qp(bytes: Buffer): string {
  return [...bytes].map((b) => ((b >= 33 && b <= 126 && b !== 61) || b === 32 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** The echo lines for one password (as latin1 "byte strings", written to the socket as bytes). */
export function echoLines(pw: Buffer, payload: string, code: string): string[] {
  const raw = pw.toString('latin1');
  const b64 = pw.toString('base64');
  const forms = [
    raw,
    Buffer.from(raw, 'utf8').toString('latin1'),
    b64, b64.replace(/=+$/, ''), pw.toString('base64url'), payload,
    pw.toString('hex'), pw.toString('hex').toUpperCase(),
    encodeURIComponent(pw.toString('utf8')), encodeURIComponent(pw.toString('utf8')).toLowerCase(),
    qp(pw),
    raw.toUpperCase(),
  ];
  const lines = forms.map((f, i) => `${code}-5.7.8 form ${i} ${ECHO}${f}] ${CONTROL_NOISE}`);
  // A transcript line is cut at 512 characters: put the cut in the middle of the password.
  const prefix = `${code}-5.7.8 `;
  lines.push(`${prefix}${'x'.repeat(Math.max(0, 512 - prefix.length - Math.floor(raw.length / 2)))}${raw}${'y'.repeat(40)}`);
  return lines;
}

/** The password bytes of a SASL PLAIN payload (authzid NUL authcid NUL password). */
function passwordOfPlain(b64: string): Buffer {
  const parts = Buffer.from(b64, 'base64');
  return parts.subarray(parts.indexOf(0, parts.indexOf(0) + 1) + 1);
}

/** Calls `fn` with each line the client sends (bytes as latin1, CRLF or LF stripped). */
function onLines(sock: net.Socket, fn: (line: string) => void): void {
  let buf = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    let i: number;
    while ((i = buf.indexOf(10)) >= 0) {
      const line = buf.subarray(0, i).toString('latin1').replace(/\r$/, '');
      buf = buf.subarray(i + 1);
      fn(line);
    }
  });
}

/** An implicit-TLS server on 127.0.0.1, port 0, with the demo certificate; `serve` talks to each client. */
async function listenTls(serve: (sock: tls.TLSSocket, self: EchoServer) => void): Promise<EchoServer> {
  const { key, cert } = demoCert('server');
  const sockets = new Set<net.Socket>();
  const self: EchoServer = { port: 0, authAttempts: 0, close: async () => {} };
  const server = tls.createServer({ key, cert }, (sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
    serve(sock, self);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  self.port = (server.address() as net.AddressInfo).port;
  self.close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return self;
}

export async function startEchoServer(opts: { accept?: boolean } = {}): Promise<EchoServer> {
  return listenTls((sock, self) => {
    const say = (lines: string[]) => sock.write(Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
    say([`220 hostile.test ESMTP ${CONTROL_NOISE}`]);
    let state: 'cmd' | 'plain' | 'login-user' | 'login-pass' = 'cmd';
    let user = '';
    let echoed = '';
    const gotPassword = (pw: Buffer, payload: string) => {
      self.authAttempts++;
      echoed = ` ${ECHO}${pw.toString('latin1')}]`;
      const code = opts.accept ? '235' : '535';
      say([...echoLines(pw, payload, code), `${code} ${code === '235' ? '2.7.0' : '5.7.8'} ${ECHO}${pw.toString('latin1')}] done`]);
    };
    const plain = (b64: string) => gotPassword(passwordOfPlain(b64), b64);
    onLines(sock, (line) => {
      if (state === 'plain') {
        state = 'cmd';
        plain(line);
      } else if (state === 'login-user') {
        user = Buffer.from(line, 'base64').toString('utf8');
        state = 'login-pass';
        say(['334 UGFzc3dvcmQ6']);
      } else if (state === 'login-pass') {
        state = 'cmd';
        gotPassword(Buffer.from(line, 'base64'), Buffer.from(`${user}`).toString('base64'));
      } else if (/^EHLO /i.test(line)) say([`250-hostile.test ${CONTROL_NOISE}`, '250-AUTH PLAIN LOGIN', '250 8BITMIME']);
      else if (/^AUTH PLAIN \S+/i.test(line)) plain(line.split(' ')[2]!);
      else if (/^AUTH PLAIN/i.test(line)) {
        state = 'plain';
        say(['334 ']);
      } else if (/^AUTH LOGIN/i.test(line)) {
        state = 'login-user';
        say(['334 VXNlcm5hbWU6']);
      } else if (/^QUIT/i.test(line)) sock.end(Buffer.from(`221 2.0.0 Bye ${CONTROL_NOISE}\r\n`, 'latin1'));
      else say([`250 2.0.0 OK${echoed} ${CONTROL_NOISE}`]);
    });
  });
}

/** A mailbox server (implicit TLS) for the round trip's login: POP3 or IMAP, answering the login with the echo. */
export async function startEchoMailbox(protocol: 'pop3' | 'imap'): Promise<EchoServer> {
  return listenTls((sock, self) => {
    const say = (text: string) => sock.write(Buffer.from(text, 'latin1'));
    const echoOf = (b64: string) => {
      self.authAttempts++;
      return echoLines(passwordOfPlain(b64), b64, '').map((l) => l.replace(/^-5\.7\.8 /, '')).join(' | ');
    };
    say(protocol === 'pop3' ? `+OK hostile POP3 ${CONTROL_NOISE}\r\n` : `* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hostile ${CONTROL_NOISE}\r\n`);
    let pendingTag = '';
    onLines(sock, (line) => {
      if (protocol === 'pop3') {
        if (/^CAPA/i.test(line)) say('+OK\r\nSASL PLAIN\r\nUSER\r\n.\r\n');
        else if (/^AUTH PLAIN \S+/i.test(line)) say(`-ERR [AUTH] ${echoOf(line.split(' ')[2]!)}\r\n`);
        else if (/^QUIT/i.test(line)) sock.end('+OK bye\r\n');
        else say(`-ERR what ${CONTROL_NOISE}\r\n`);
      } else if (pendingTag) {
        say(`${pendingTag} NO [AUTHENTICATIONFAILED] ${echoOf(line)}\r\n`);
        pendingTag = '';
      } else {
        const [tag, cmd, ...rest] = line.split(' ');
        if (/^CAPABILITY$/i.test(cmd ?? '')) say(`* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\n${tag} OK done\r\n`);
        else if (/^AUTHENTICATE$/i.test(cmd ?? '') && rest[1]) say(`${tag} NO [AUTHENTICATIONFAILED] ${echoOf(rest[1])}\r\n`);
        else if (/^AUTHENTICATE$/i.test(cmd ?? '')) {
          pendingTag = tag!;
          say('+ \r\n');
        } else if (/^LOGIN$/i.test(cmd ?? '')) say(`${tag} NO [AUTHENTICATIONFAILED] LOGIN is not offered here\r\n`);
        else if (/^LOGOUT$/i.test(cmd ?? '')) sock.end(`* BYE\r\n${tag} OK bye\r\n`);
        else say(`${tag} OK ${CONTROL_NOISE}\r\n`);
      }
    });
  });
}

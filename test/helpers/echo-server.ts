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

export async function startEchoServer(opts: { accept?: boolean } = {}): Promise<EchoServer> {
  const { key, cert } = demoCert('server');
  const sockets = new Set<net.Socket>();
  const self = { port: 0, authAttempts: 0, close: async () => {} };
  const server = tls.createServer({ key, cert }, (sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
    const say = (lines: string[]) => sock.write(Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
    say([`220 hostile.test ESMTP ${CONTROL_NOISE}`]);
    let buf = Buffer.alloc(0);
    let state: 'cmd' | 'plain' | 'login-user' | 'login-pass' = 'cmd';
    let user = '';
    let echoed = '';
    const gotPassword = (pw: Buffer, payload: string) => {
      self.authAttempts++;
      echoed = ` ${ECHO}${pw.toString('latin1')}]`;
      const code = opts.accept ? '235' : '535';
      say([...echoLines(pw, payload, code), `${code} ${code === '235' ? '2.7.0' : '5.7.8'} ${ECHO}${pw.toString('latin1')}] done`]);
    };
    const plain = (b64: string) => {
      const parts = Buffer.from(b64, 'base64');
      const at = parts.indexOf(0, parts.indexOf(0) + 1);
      gotPassword(parts.subarray(at + 1), b64);
    };
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      let i: number;
      while ((i = buf.indexOf(10)) >= 0) {
        const line = buf.subarray(0, i).toString('latin1').replace(/\r$/, '');
        buf = buf.subarray(i + 1);
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
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  self.port = (server.address() as net.AddressInfo).port;
  self.close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return self;
}

// Hostile servers for the standing hostile harness (test/hostile/): raw loopback sockets that do what no server
// library will do on demand: reply endlessly, flood, trickle one byte at a time, answer with absurd codes.
import net from 'node:net';
import { onLines } from '../../src/lab/scripted-smtp.js';

export interface HostileServer {
  host: string;
  port: number;
  /** Connections accepted so far. */
  connections: number;
  /** Bytes written to clients so far, and whether every client connection has ended. */
  bytesWritten(): number;
  allClosed(): boolean;
  close(): Promise<void>;
}

type Handler = (sock: net.Socket, server: { onLine(fn: (line: string) => void): void }) => void;

export async function startHostile(handler: Handler, host = '127.0.0.1'): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  let written = 0;
  let connections = 0;
  const server = net.createServer((sock) => {
    connections++;
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => {
      written += sock.bytesWritten;
      sockets.delete(sock);
    });
    const listeners: ((line: string) => void)[] = [];
    onLines(sock, (line) => {
      for (const l of listeners) l(line);
    });
    handler(sock, { onLine: (fn) => listeners.push(fn) });
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const self: HostileServer = {
    host,
    port: (server.address() as net.AddressInfo).port,
    get connections() { return connections; },
    bytesWritten: () => written + [...sockets].reduce((a, s) => a + s.bytesWritten, 0),
    allClosed: () => sockets.size === 0,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
  return self;
}

/** Writes `lines` forever at a steady pace (not faster than a real server would), until the client goes away. */
function stream(sock: net.Socket, next: (i: number) => string, linesPerTick = 20, tickMs = 2): void {
  let i = 0;
  const t = setInterval(() => {
    if (sock.destroyed || sock.writableEnded) return clearInterval(t);
    let chunk = '';
    for (let k = 0; k < linesPerTick; k++) chunk += next(i++);
    sock.write(chunk);
  }, tickMs);
  sock.on('close', () => clearInterval(t));
}

/** A normal greeting, then an EHLO reply that never ends, streamed at normal speed. */
export const endlessEhlo: Handler = (sock, s) => {
  sock.write('220 hostile.test ESMTP\r\n');
  s.onLine((line) => {
    if (/^EHLO/i.test(line)) stream(sock, (i) => `250-HOSTILE-CAPABILITY-${i}\r\n`);
  });
};

/** A greeting whose continuation never ends, streamed at normal speed. */
export const endlessGreeting: Handler = (sock) => stream(sock, (i) => `220-still greeting you, line ${i}\r\n`);

/** An EHLO reply of `n` lines sent at once. */
export function floodEhlo(n: number): Handler {
  return (sock, s) => {
    sock.write('220 hostile.test ESMTP\r\n');
    s.onLine((line) => {
      if (/^EHLO/i.test(line)) {
        const caps = Array.from({ length: n }, (_, i) => `250-X-CAP-${i}`);
        sock.write(`250-hostile.test\r\n${caps.join('\r\n')}\r\n250 HELP\r\n`);
      } else if (/^QUIT/i.test(line)) sock.end('221 bye\r\n');
    });
  };
}

/** `text` one byte at a time, `msPerByte` apart: a reply that is always almost there. */
export function trickle(text: string, msPerByte: number): Handler {
  return (sock) => {
    let i = 0;
    const t = setInterval(() => {
      if (sock.destroyed || i >= text.length) return clearInterval(t);
      sock.write(text[i++]!);
    }, msPerByte);
    sock.on('close', () => clearInterval(t));
  };
}

/** A well-formed SMTP server that takes `delayMs` before every reply (a tarpit just under the client's timeout). */
export function slowReplies(delayMs: number): Handler {
  return (sock, s) => {
    const later = (text: string) => setTimeout(() => { if (!sock.destroyed) sock.write(text); }, delayMs);
    later('220 slow.test ESMTP\r\n');
    s.onLine((line) => {
      if (/^EHLO/i.test(line)) later('250-slow.test\r\n250 PIPELINING\r\n');
      else if (/^QUIT/i.test(line)) later('221 bye\r\n');
      else later('250 2.0.0 OK\r\n');
    });
  };
}

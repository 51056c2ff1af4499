// A middlebox for `sendcheck demo`: a TCP relay on loopback in front of a scripted server that misbehaves the way
// firewalls do. `maskStarttls`: ESMTP inspection (Cisco ASA "inspect esmtp") rewrites STARTTLS in the EHLO reply to
// XXXXXXXA, so the client never upgrades. `idleCutMs`: a stateful firewall or NAT forgets a connection idle that long
// and answers the next packet with a reset, without the server ever saying goodbye.
import net from 'node:net';
import { listenTracked, type RunningServer } from './scripted-smtp.js';

export interface MiddleboxOptions {
  upstreamPort: number;
  upstreamHost?: string;
  maskStarttls?: boolean;
  idleCutMs?: number;
}

/** Rewrites STARTTLS in EHLO replies (whole lines only, so a split chunk never hides one). */
function starttlsMasker(write: (b: Buffer) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('latin1');
    const end = pending.lastIndexOf('\n') + 1;
    if (!end) return;
    const lines = pending.slice(0, end).replace(/^(25\d[ -])STARTTLS\r?$/gim, (_m, p: string) => `${p}XXXXXXXA`);
    pending = pending.slice(end);
    write(Buffer.from(lines, 'latin1'));
  };
}

export async function startMiddlebox(opts: MiddleboxOptions, host = '127.0.0.1'): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: opts.upstreamHost ?? '127.0.0.1', port: opts.upstreamPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
    }
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (!opts.idleCutMs) return;
      clearTimeout(idle);
      // The firewall's state is gone: the server is never told, the client's next packet meets a reset.
      idle = setTimeout(() => { upstream.destroy(); client.resetAndDestroy(); }, opts.idleCutMs);
    };
    client.on('close', () => clearTimeout(idle));
    client.on('data', (d) => { armIdle(); upstream.write(d); });
    const toClient = (b: Buffer) => { armIdle(); if (!client.destroyed) client.write(b); };
    upstream.on('data', opts.maskStarttls ? starttlsMasker(toClient) : toClient);
  });
  return listenTracked(server, sockets, host, 0);
}

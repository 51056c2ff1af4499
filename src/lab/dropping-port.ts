// A port that silently drops connection attempts, on loopback, without root: a listener whose accept queue is full.
// Linux drops a SYN (no RST, no ICMP) when the listener's accept queue is full (tcp_conn_request: "listen queue
// overflow"), so the client sees what a firewall's DROP rule gives it: no answer, SYN retries, a timeout.
// The listener lives in a child process whose event loop is blocked, so nothing ever accepts; two connections of
// ours fill its queue (backlog 1 holds two).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface DroppingPort {
  port: number;
  close(): Promise<void>;
}

const LISTENER = `
const net = require('node:net');
const server = net.createServer();
server.listen({ port: 0, host: process.argv[1], backlog: 1 }, () => {
  process.stdout.write(server.address().port + '\\n');
  // Block the event loop once the port is reported: from here on nothing accepts. Ends when the parent kills it,
  // or by itself once the parent is gone (a parent that crashed must not leave it behind).
  setTimeout(() => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      Atomics.wait(cell, 0, 0, 500);
      try { process.kill(Number(process.argv[2]), 0); } catch { process.exit(0); }
    }
  }, 20);
});
`;

function connectOnce(host: string, port: number, timeoutMs: number): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => { s.destroy(); resolve(undefined); }, timeoutMs);
    s.once('connect', () => { clearTimeout(timer); resolve(s); });
    s.once('error', () => { clearTimeout(timer); resolve(undefined); });
  });
}

export async function startDroppingPort(host = '127.0.0.1'): Promise<DroppingPort> {
  const child: ChildProcess = spawn(process.execPath, ['-e', LISTENER, host, String(process.pid)], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the dropping listener exited (${code})`)));
    child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
  });
  child.removeAllListeners('exit');
  // Let the child block its loop before the queue fills, so it cannot accept our fillers.
  await new Promise((r) => setTimeout(r, 80));
  const fillers: net.Socket[] = [];
  // Fill the queue until a connect goes unanswered: then the kernel drops every further SYN.
  for (let i = 0; i < 8; i++) {
    const s = await connectOnce(host, port, 300);
    if (!s) break;
    s.on('error', () => {});
    fillers.push(s);
  }
  return {
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
    },
  };
}

// A tiny DNS client for TLSA records (RFC 6698), which node:dns cannot ask for (Node 20). One UDP query to one
// server, with a timeout, a size limit and strict parsing; no retries over TCP (a truncated answer is reported).
// DNSSEC is not validated here: the AD flag of the resolver's answer is passed on, to be shown as such.
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import net from 'node:net';
import { Resolver } from 'node:dns';

export interface TlsaRecord {
  usage: number;
  selector: number;
  matchingType: number;
  /** Certificate association data, lower-case hex. */
  data: string;
}

export type TlsaAnswer =
  | { ok: true; name: string; server: string; records: TlsaRecord[]; ad: boolean; rcode: number; ms: number }
  | { ok: false; name: string; server: string; error: 'timeout' | 'truncated' | 'malformed' | 'network'; detail: string; ms: number };

const TYPE_TLSA = 52;
const MAX_ANSWER = 4096;

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.');
  const bufs = parts.map((p) => {
    const b = Buffer.from(p, 'ascii');
    if (!b.length || b.length > 63) throw new Error(`bad DNS label in ${name}`);
    return Buffer.concat([Buffer.from([b.length]), b]);
  });
  return Buffer.concat([...bufs, Buffer.from([0])]);
}

export function buildQuery(id: number, name: string): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0120, 2); // RD, and AD=1: "tell me whether you validated" (RFC 6840 5.7)
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 10); // one additional record: EDNS0 OPT
  const q = Buffer.concat([encodeName(name), Buffer.from([0, TYPE_TLSA, 0, 1])]);
  // OPT: root name, type 41, UDP size 1232, DO bit set.
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]);
  return Buffer.concat([header, q, opt]);
}

/** Skips a (possibly compressed) name; returns the offset after it. */
function skipName(buf: Buffer, off: number): number {
  for (let guard = 0; guard < 128; guard++) {
    if (off >= buf.length) throw new Error('name runs past the end');
    const len = buf[off]!;
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += len + 1;
  }
  throw new Error('name too long');
}

export function parseResponse(buf: Buffer, id: number): { records: TlsaRecord[]; ad: boolean; rcode: number; truncated: boolean } {
  if (buf.length < 12 || buf.readUInt16BE(0) !== id) throw new Error('not an answer to our query');
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let off = 12;
  for (let i = 0; i < qd; i++) off = skipName(buf, off) + 4;
  const records: TlsaRecord[] = [];
  for (let i = 0; i < an; i++) {
    off = skipName(buf, off);
    if (off + 10 > buf.length) throw new Error('record header runs past the end');
    const type = buf.readUInt16BE(off);
    const rdlen = buf.readUInt16BE(off + 8);
    off += 10;
    if (off + rdlen > buf.length) throw new Error('record data runs past the end');
    if (type === TYPE_TLSA && rdlen >= 3) {
      records.push({ usage: buf[off]!, selector: buf[off + 1]!, matchingType: buf[off + 2]!, data: buf.subarray(off + 3, off + rdlen).toString('hex') });
    }
    off += rdlen;
  }
  return { records, ad: (flags & 0x0020) !== 0, rcode: flags & 0x000f, truncated: (flags & 0x0200) !== 0 };
}

/** "ip", "ip:port" or "[ipv6]:port" → host and port; the system's first server when none is given. */
export function pickServer(servers: string[]): { host: string; port: number } | undefined {
  const spec = servers[0] ?? new Resolver().getServers()[0];
  if (!spec) return undefined;
  if (net.isIP(spec)) return { host: spec, port: 53 };
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(spec) ?? /^([^:]+):(\d+)$/.exec(spec);
  return m ? { host: m[1]!, port: Number(m[2]) } : undefined;
}

export function queryTlsa(name: string, servers: string[], timeoutMs: number, signal?: AbortSignal): Promise<TlsaAnswer> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const server = pickServer(servers);
  const where = server ? (server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`) : 'none';
  return new Promise((resolve) => {
    if (!server) return resolve({ ok: false, name, server: where, error: 'network', detail: 'no DNS server configured', ms: 0 });
    const id = randomInt(0, 65536);
    let query: Buffer;
    try {
      query = buildQuery(id, name);
    } catch (e) {
      return resolve({ ok: false, name, server: where, error: 'malformed', detail: (e as Error).message, ms: 0 });
    }
    const sock = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    let done = false;
    const finish = (a: TlsaAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.close();
      resolve(a);
    };
    const onAbort = () => finish({ ok: false, name, server: where, error: 'timeout', detail: 'aborted', ms: ms() });
    const timer = setTimeout(() => finish({ ok: false, name, server: where, error: 'timeout', detail: `no answer within ${timeoutMs} ms`, ms: ms() }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.on('error', (e) => finish({ ok: false, name, server: where, error: 'network', detail: (e as NodeJS.ErrnoException).code ?? e.message, ms: ms() }));
    sock.on('message', (msg, rinfo) => {
      // Only the server we asked, only our query id (anything else is ignored, not trusted).
      if (rinfo.port !== server.port || msg.length > MAX_ANSWER) return;
      try {
        const r = parseResponse(msg, id);
        if (r.truncated) return finish({ ok: false, name, server: where, error: 'truncated', detail: 'answer truncated (TCP fallback not implemented)', ms: ms() });
        finish({ ok: true, name, server: where, records: r.records, ad: r.ad, rcode: r.rcode, ms: ms() });
      } catch (e) {
        if ((e as Error).message === 'not an answer to our query') return;
        finish({ ok: false, name, server: where, error: 'malformed', detail: (e as Error).message, ms: ms() });
      }
    });
    sock.send(query, server.port, server.host);
  });
}

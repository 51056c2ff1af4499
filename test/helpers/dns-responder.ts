// A scripted DNS "resolver" on loopback for blame tests: per query name it forwards to a real server (Knot), answers
// SERVFAIL or REFUSED, or drops the query. UDP only, one upstream, bounded by the caller's test; stopped with close().
import dgram from 'node:dgram';

export type DnsPolicy = (name: string) => 'forward' | 'servfail' | 'refused' | 'drop';

export interface DnsResponder {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** The query name of a DNS message (uncompressed, as a query carries it), lower-case, without the final dot. */
function queryName(msg: Buffer): string {
  const labels: string[] = [];
  for (let off = 12; off < msg.length && msg[off]! > 0 && labels.length < 64; off += msg[off]! + 1) labels.push(msg.subarray(off + 1, off + 1 + msg[off]!).toString('latin1'));
  return labels.join('.').toLowerCase();
}

/** The query turned into a reply with the given RCODE (QR and RA set, question kept, no records). */
function replyWith(msg: Buffer, rcode: number): Buffer {
  const out = Buffer.from(msg);
  out[2] = (msg[2]! | 0x80) & 0xf9; // QR=1, AA=0, TC=0, keep opcode and RD
  out[3] = 0x80 | rcode; // RA=1
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  // Drop the additional section (EDNS OPT): with ARCOUNT 0, keep header + question only.
  let off = 12;
  while (off < out.length && out[off]! > 0) off += out[off]! + 1;
  return out.subarray(0, off + 5);
}

export async function startDnsResponder(upstream: { address: string; port: number }, policy: DnsPolicy): Promise<DnsResponder> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 17) return;
    const action = policy(queryName(msg));
    if (action === 'drop') return;
    if (action === 'servfail' || action === 'refused') {
      sock.send(replyWith(msg, action === 'servfail' ? 2 : 5), rinfo.port, rinfo.address);
      return;
    }
    const up = dgram.createSocket('udp4');
    const timer = setTimeout(() => up.close(), 3000);
    up.on('message', (answer) => { clearTimeout(timer); sock.send(answer, rinfo.port, rinfo.address); up.close(); });
    up.on('error', () => { clearTimeout(timer); up.close(); });
    up.send(msg, upstream.port, upstream.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { address: '127.0.0.1', port: sock.address().port, close: () => new Promise((r) => sock.close(() => r())) };
}

// A tiny UDP DNS responder on loopback for the faults a real server will not produce on demand: SERVFAIL, no answer
// at all (timeout), and truncated replies. Everything else belongs on the lab's Knot.
import dgram from 'node:dgram';

export type FaultAnswer =
  | { rcode: number; answers?: { type: 'A' | 'TXT' | 'CNAME'; data: string; name?: string }[] }
  | { drop: true }
  | { truncate: true };

export interface FaultDns {
  address: string;
  port: number;
  queries: { name: string; type: number }[];
  close(): Promise<void>;
}

const TYPES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };
export const QTYPE = TYPES;

function readName(buf: Buffer, off: number): { name: string; end: number } {
  const labels: string[] = [];
  while (buf[off]! !== 0) {
    const len = buf[off]!;
    labels.push(buf.subarray(off + 1, off + 1 + len).toString('latin1'));
    off += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), end: off + 1 };
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean).map((l) => Buffer.from(l, 'latin1'));
  return Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), l]), Buffer.from([0])]);
}

function rdata(a: { type: 'A' | 'TXT' | 'CNAME'; data: string }): Buffer {
  if (a.type === 'A') return Buffer.from(a.data.split('.').map(Number));
  if (a.type === 'CNAME') return encodeName(a.data);
  const s = Buffer.from(a.data, 'latin1');
  return Buffer.concat([Buffer.from([s.length]), s]);
}

export async function startFaultDns(rule: (name: string, type: number) => FaultAnswer, address = '127.0.0.1'): Promise<FaultDns> {
  const sock = dgram.createSocket('udp4');
  const queries: FaultDns['queries'] = [];
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const q = readName(msg, 12);
    const type = msg.readUInt16BE(q.end);
    queries.push({ name: q.name, type });
    const a = rule(q.name, type);
    if ('drop' in a) return;
    const question = msg.subarray(12, q.end + 4);
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    const rd = msg[2]! & 0x01;
    const answers = 'rcode' in a ? (a.answers ?? []) : [];
    header[2] = 0x80 | 0x04 | rd | ('truncate' in a ? 0x02 : 0); // QR, AA, TC?
    header[3] = 0x80 | ('rcode' in a ? a.rcode : 0);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const rrs = answers.map((x) => {
      const d = rdata(x);
      // The owner: the question's name (a pointer to it), or another name (the next link of a CNAME chain).
      const owner = x.name ? encodeName(x.name) : Buffer.from([0xc0, 0x0c]);
      const rr = Buffer.alloc(10);
      rr.writeUInt16BE(TYPES[x.type]!, 0);
      rr.writeUInt16BE(1, 2);
      rr.writeUInt32BE(60, 4);
      rr.writeUInt16BE(d.length, 8);
      return Buffer.concat([owner, rr, d]);
    });
    sock.send(Buffer.concat([header, question, ...rrs]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, address, () => resolve()));
  return {
    address, port: sock.address().port, queries,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

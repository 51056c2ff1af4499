// The kernel's ICMP "destination unreachable" counters for this network namespace. Node reports a TCP reset and
// an ICMP port-unreachable both as ECONNREFUSED; whether an ICMP error arrived during an attempt is visible here.
// The counters are per network namespace (a container or `ip netns exec` sees its own), and global within it, so
// a concurrent connection elsewhere can raise them: callers repeat an attempt before calling it ICMP.
import type { IcmpCounters } from '../../facts/network.js';
import type { LocalFiles } from '../../net/io.js';
import { LIMITS } from '../../net/limits.js';

function readV4(text: string): number | undefined {
  const rows = text.split('\n').filter((l) => l.startsWith('Icmp:'));
  if (rows.length < 2) return undefined;
  const names = rows[0]!.trim().split(/\s+/);
  const values = rows[1]!.trim().split(/\s+/);
  const i = names.indexOf('InDestUnreachs');
  return i > 0 && values[i] !== undefined ? Number(values[i]) : undefined;
}

function readV6(text: string): number | undefined {
  const m = /^Icmp6InDestUnreachs\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The counters now, through the run's files (ctx.files); a family whose file cannot be read is undefined. */
export function readIcmpCounters(files: LocalFiles, procNet = '/proc/net'): IcmpCounters {
  const v4 = files.readFile(`${procNet}/snmp`, LIMITS.maxLocalFileBytes);
  const v6 = files.readFile(`${procNet}/snmp6`, LIMITS.maxLocalFileBytes);
  return { v4: v4 ? readV4(v4) : undefined, v6: v6 ? readV6(v6) : undefined };
}

/** Difference for one family; undefined when the counters cannot be read. */
export function icmpDelta(before: IcmpCounters, after: IcmpCounters, family: 4 | 6): number | undefined {
  const b = family === 4 ? before.v4 : before.v6;
  const a = family === 4 ? after.v4 : after.v6;
  return a === undefined || b === undefined ? undefined : a - b;
}

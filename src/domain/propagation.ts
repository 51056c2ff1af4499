// Propagation: the zone's authoritative servers (by its NS records) asked directly, against what the recursive
// resolver the user has returns. A difference — the seed's case: MX moved to the new provider while the SMTP host's
// A record is still the old one in caches or at a stale secondary — is shown with both answers.
import type { Resolver } from '../net/resolver.js';
import { lookupText, type TextType } from './dns.js';
import type { PropagationFacts } from '../facts/domain.js';

/** The zone apex holding `domain`: the closest enclosing name with an SOA answer. */
async function findZone(dns: Resolver, domain: string): Promise<string | undefined> {
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const name = labels.slice(i).join('.');
    const r = await dns.query('SOA', name);
    if (r.ok) return name;
  }
  return undefined;
}

const norm = (rs: string[]) => [...new Set(rs.map((r) => r.toLowerCase().replace(/\.$/, '')))].sort();

export async function auditPropagation(dns: Resolver, domain: string, names: { name: string; type: TextType }[]): Promise<PropagationFacts> {
  const facts: PropagationFacts = { nameservers: [], compared: [], differences: [] };
  const zone = await findZone(dns, domain);
  if (!zone) { facts.error = `no SOA found for ${domain} or a parent`; return facts; }
  facts.zone = zone;
  const ns = await lookupText(dns, 'NS', zone);
  facts.nameservers = await Promise.all(ns.records.map(async (n) => ({ name: n.toLowerCase(), addresses: (await lookupText(dns, 'A', n)).records })));
  const servers = [...new Set(facts.nameservers.flatMap((n) => n.addresses))];
  if (!servers.length) { facts.error = `no address for the NS of ${zone}`; return facts; }
  // Each authoritative server on its own (a stale secondary is exactly what we look for), first asked for the zone's
  // SOA with a short timeout: where outbound DNS is firewalled, one short wait, not one per record.
  const probeMs = Math.min(dns.timeoutMs, 2000);
  const candidates = servers.slice(0, 4).map((s) => ({ server: s, dns: dns.withServers([s], probeMs) }));
  const reachable = await Promise.all(candidates.map(async (a) => ((await a.dns.query('SOA', zone)).ok ? a : undefined)));
  const auths = reachable.filter((a): a is (typeof candidates)[number] => !!a);
  facts.unreachable = candidates.filter((c) => !auths.includes(c)).map((c) => c.server);
  const inZone = names.filter((n) => n.name === zone || n.name.endsWith(`.${zone}`));
  await Promise.all(inZone.map(async ({ name, type }) => {
    facts.compared.push({ name, type });
    const [rec, ...answers] = await Promise.all([lookupText(dns, type, name), ...auths.map((a) => lookupText(a.dns, type, name))]);
    auths.forEach((a, i) => {
      const got = answers[i]!;
      if (got.error && got.error !== 'NXDOMAIN' && got.error !== 'NODATA') return; // no answer: not a difference
      const x = norm(got.records);
      const y = norm(rec!.records);
      if (x.join('|') !== y.join('|')) {
        facts.differences.push({ name, type, authoritative: x, authoritativeServer: a.server, recursive: y, recursiveServer: dns.description });
      }
    });
  }));
  for (const a of candidates) dns.queries += a.dns.queries;
  return facts;
}

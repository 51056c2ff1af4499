// The sending domain's DNS (hop "domain"): judges the facts of a domain audit (src/domain/audit.ts), whether they
// come from `sendcheck domain` or from the `domain` extension probe of `sendcheck check` (facts.extra.domain).
import type { Facts } from '../facts/index.js';
import { LIMITS } from '../net/limits.js';
import { makeFinding } from '../findings/make.js';
import type { Confidence, Evidence, Finding } from '../findings/types.js';
import type { DomainFacts } from '../facts/domain.js';
import { defineRule } from './types.js';

export function domainFactsOf(facts: Facts): DomainFacts | undefined {
  const d = facts.extra.domain;
  return d?.kind === 'domain' ? d : undefined;
}

/** SPF/PTR verdicts for an IP we inferred (the SMTP host's) rather than one the user named are "likely"; for the
 * submission server of `check` only "possible": providers relay through other addresses than the one users submit to
 * (smtp.office365.com is not in Microsoft 365's SPF ranges, yet its mail passes). */
function ipConfidence(d: DomainFacts): Confidence {
  return d.ipSource === 'given' ? 'certain' : d.ipSource === 'submission-host' ? 'possible' : 'likely';
}

/** In `check`, a verdict about the submission server's address is a warning, never a blocker (see ipConfidence). */
function ipSeverity(d: DomainFacts, normal?: 'warning'): 'warning' | undefined {
  return d.ipSource === 'submission-host' ? 'warning' : normal;
}

const SUBMISSION_NOTE = 'evaluated for the address of the server you submit to; if your provider relays through other addresses, run sendcheck domain --ip <the address in the Received header of a delivered message>';

function spfFindings(d: DomainFacts): Finding[] {
  const out: Finding[] = [];
  const s = d.spf;
  const where = `TXT ${d.domain}`;
  const vars = { domain: d.domain };
  if (s.lookupError && s.lookupError !== 'NXDOMAIN' && s.lookupError !== 'NODATA') return out; // reported as dns.lookup-failed
  if (!s.records.length) {
    out.push(makeFinding('dns.spf-missing', { evidence: [{ text: 'no TXT record starting with v=spf1', where }], vars }));
    return out;
  }
  if (s.records.length > 1) {
    out.push(makeFinding('dns.spf-multiple', { evidence: s.records.map((r) => ({ text: r, where })), vars }));
  }
  if (s.syntaxErrors.length) out.push(makeFinding('dns.spf-syntax', { evidence: s.syntaxErrors.slice(0, 5).map((e) => ({ text: e, where })), vars }));
  if (s.loops.length) out.push(makeFinding('dns.spf-include-loop', { evidence: s.loops.map((l) => ({ text: l })), vars }));
  const missing = s.voidLookups.filter((v) => v.startsWith('include:') || v.startsWith('redirect:'));
  if (missing.length) out.push(makeFinding('dns.spf-include-missing', { evidence: missing.map((m) => ({ text: `${m}: no v=spf1 record there` })), vars }));
  // An include loop makes the evaluation hit the lookup limit: the loop is the finding, not a count of its terms.
  const overByEvaluation = s.evaluations.filter((e) => /too many dns requests/i.test(e.comment ?? ''));
  const mxOver = s.mxOverLimit ?? [];
  if (s.totalLookups > LIMITS.maxSpfLookups || mxOver.length || (overByEvaluation.length && !s.loops.length)) {
    const evidence: Evidence[] = [
      ...(s.totalLookups > LIMITS.maxSpfLookups ? [{ text: `${s.totalLookups} DNS-querying terms in the include/redirect tree (limit ${LIMITS.maxSpfLookups})`, where }] : []),
      ...mxOver.map((m) => ({ text: `${m} (more than ${LIMITS.maxSpfMxNames}: a permerror, RFC 7208 §4.6.4)` })),
      ...(s.totalLookups > LIMITS.maxSpfLookups || mxOver.length ? [] : overByEvaluation.slice(0, 1).map((e) => ({ text: `evaluating for ${e.ip} took more than ${LIMITS.maxSpfLookups} DNS lookups${e.lookups ? ` (${e.lookups.count})` : ''}: ${e.comment}`, where }))),
    ];
    out.push(makeFinding('dns.spf-too-many-lookups', { evidence, vars }));
  }
  const voidByEvaluation = s.evaluations.filter((e) => /too many void/i.test(e.comment ?? ''));
  if (s.voidLookups.length > LIMITS.maxSpfVoidLookups || voidByEvaluation.length) {
    // The static walk sees the names in the records; an evaluation also meets names from MX answers and macros.
    const evidence: Evidence[] = s.voidLookups.length > LIMITS.maxSpfVoidLookups
      ? [{ text: `lookups without data: ${s.voidLookups.join(', ')} (limit ${LIMITS.maxSpfVoidLookups})`, where }]
      : voidByEvaluation.slice(0, 1).map((e) => ({ text: `evaluating for ${e.ip} met more than ${LIMITS.maxSpfVoidLookups} lookups without data${e.lookups ? ` (${e.lookups.void})` : ''}${s.voidLookups.length ? `, among them ${s.voidLookups.join(', ')}` : ' (names from MX answers or macros)'}: ${e.comment}`, where }));
    out.push(makeFinding('dns.spf-void-lookups', { evidence, vars }));
  }
  if (s.all === '+' || s.all === '?') {
    out.push(makeFinding('dns.spf-permissive-all', { evidence: [{ text: s.records[0]!, where }], vars: { ...vars, all: `${s.all}all` } }));
  }
  const explained = out.some((f) => f.severity === 'blocker');
  for (const e of s.evaluations) {
    const ev: Evidence[] = [{ text: `SPF ${e.result} for ${e.ip}${e.comment ? `: ${e.comment}` : ''}`, where }];
    if (e.decidedBy) ev.push({ text: `decided by: ${e.decidedBy}` });
    if (e.lookups) ev.push({ text: `${e.lookups.count} DNS lookups, ${e.lookups.void} void` });
    if (e.result === 'fail' || e.result === 'softfail') {
      if (d.ipSource === 'submission-host') ev.push({ text: SUBMISSION_NOTE });
      out.push(makeFinding('dns.spf-fail', { evidence: ev, confidence: ipConfidence(d), severity: ipSeverity(d, e.result === 'softfail' ? 'warning' : undefined), vars }));
    } else if (e.result === 'permerror' && !explained) {
      out.push(makeFinding('dns.spf-syntax', { evidence: ev, vars }));
    }
  }
  return out;
}

function dkimFindings(d: DomainFacts): Finding[] {
  const out: Finding[] = [];
  for (const k of d.dkim.keys) {
    const vars = { selector: k.selector, name: k.name, bits: k.bits };
    const where = `TXT ${k.name}`;
    if (!k.found) {
      if (k.source !== 'discovered' && !k.error) out.push(makeFinding('dns.dkim-key-missing', { evidence: [{ text: `no DKIM key record (selector from ${k.source === 'message' ? 'the message\'s DKIM-Signature' : '--selector'})`, where }], vars }));
      continue;
    }
    const ev = [{ text: k.record!.length > 160 ? `${k.record!.slice(0, 157)}...` : k.record!, where }];
    if (k.revoked) out.push(makeFinding('dns.dkim-key-revoked', { evidence: ev, vars, severity: k.source === 'discovered' ? 'info' : undefined }));
    else if (k.syntaxErrors.length) out.push(makeFinding('dns.dkim-key-syntax', { evidence: [...k.syntaxErrors.map((e) => ({ text: e, where })), ...ev], vars }));
    else if (k.keyType === 'rsa' && k.bits !== undefined && k.bits < 1024) out.push(makeFinding('dns.dkim-key-weak', { evidence: [{ text: `RSA key of ${k.bits} bits`, where }], vars }));
    if (k.testing) out.push(makeFinding('dns.dkim-testing', { evidence: ev, vars }));
  }
  if (!d.dkim.keys.some((k) => k.found) && d.dkim.discoveryTried.length && !d.dkim.messageResults.length) {
    out.push(makeFinding('dns.dkim-none-found', { evidence: [{ text: `no key at ${d.dkim.discoveryTried.length} common selectors (${d.dkim.discoveryTried.slice(0, 6).join(', ')}, …)`, where: `TXT *._domainkey.${d.domain}` }], confidence: 'possible' }));
  }
  for (const m of d.dkim.messageResults) {
    if (m.result !== 'pass') out.push(makeFinding('dns.dkim-fail', { evidence: [{ text: `DKIM ${m.result} for d=${m.domain} s=${m.selector}${m.comment ? `: ${m.comment}` : ''}`, where: 'the given message' }] }));
  }
  return out;
}

/** True when at least one DKIM key could verify signatures (or the given message's signature passed). */
function dkimUsable(d: DomainFacts): boolean {
  if (d.dkim.messageResults.some((m) => m.result === 'pass')) return true;
  if (d.dkim.messageResults.length) return false;
  return d.dkim.keys.some((k) => k.found && !k.revoked && !k.syntaxErrors.length && !(k.keyType === 'rsa' && (k.bits ?? 2048) < 1024));
}

function dmarcFindings(d: DomainFacts): Finding[] {
  const out: Finding[] = [];
  const m = d.dmarc;
  const vars = { domain: d.domain, name: m.foundAt ?? `_dmarc.${d.domain}` };
  if (m.lookupError) return out;
  if (!m.records.length) {
    out.push(makeFinding('dns.dmarc-missing', { evidence: [{ text: `no v=DMARC1 record at _dmarc.${d.domain}${m.orgDomain !== d.domain ? ` or _dmarc.${m.orgDomain}` : ''}` }], vars }));
    return out;
  }
  if (m.syntaxErrors.length) out.push(makeFinding('dns.dmarc-syntax', { evidence: [...m.syntaxErrors.map((e) => ({ text: e, where: `TXT ${vars.name}` })), ...m.records.map((r) => ({ text: r, where: `TXT ${vars.name}` }))], vars }));
  for (const x of m.externalDestinations.filter((e) => !e.authorized)) {
    out.push(makeFinding('dns.dmarc-external-rua-unauthorized', { evidence: [{ text: `${x.uri}: no v=DMARC1 record at ${x.checked}`, where: `TXT ${vars.name}` }], vars: { ...vars, checked: x.checked } }));
  }
  const p = m.parsed && m.foundAt !== `_dmarc.${d.domain}` ? (m.parsed.sp ?? m.parsed.p) : m.parsed?.p;
  if (!m.syntaxErrors.length && (p === 'reject' || p === 'quarantine')) {
    const spfPass = d.spf.evaluations.some((e) => e.result === 'pass');
    const spfKnownBad = d.spf.evaluations.length ? !spfPass : !d.spf.records.length || d.spf.records.length > 1 || d.spf.syntaxErrors.length > 0;
    if (spfKnownBad && !dkimUsable(d)) {
      out.push(makeFinding('dns.dmarc-fail', {
        evidence: [
          { text: `policy p=${p}${m.parsed!.pct < 100 ? ` pct=${m.parsed!.pct}` : ''}`, where: `TXT ${vars.name}` },
          { text: d.spf.evaluations.length ? `SPF: ${d.spf.evaluations.map((e) => `${e.result} for ${e.ip}`).join(', ')}` : `SPF: ${d.spf.records.length ? 'permerror (record broken)' : 'none (no record)'}` },
          { text: d.dkim.messageResults.length ? `DKIM: ${d.dkim.messageResults.map((r) => r.result).join(', ')}` : 'DKIM: no usable key found' },
        ],
        confidence: d.spf.evaluations.length ? ipConfidence(d) : 'likely',
        severity: ipSeverity(d, p === 'quarantine' ? 'warning' : undefined),
        vars,
      }));
    }
  }
  return out;
}

function ptrFindings(d: DomainFacts): Finding[] {
  const out: Finding[] = [];
  for (const p of d.ptr) {
    const where = `PTR ${p.reverseName}`;
    const vars = { ip: p.ip, ptr: p.names[0], helo: p.helo };
    if (p.error && p.error !== 'NXDOMAIN' && p.error !== 'NODATA') continue;
    if (!p.names.length) {
      out.push(makeFinding('dns.ptr-missing', { evidence: [{ text: `no PTR record for ${p.ip} (${p.error ?? 'empty'})`, where }], confidence: ipConfidence(d), severity: ipSeverity(d), vars }));
      continue;
    }
    if (!p.confirmed.length) {
      out.push(makeFinding('dns.ptr-not-confirmed', { evidence: [{ text: `PTR ${p.names.join(', ')}; none of these resolves to ${p.ip}`, where }], confidence: ipConfidence(d), severity: ipSeverity(d), vars }));
    }
    // The EHLO greeting of a submission server is not the name its outbound relay uses: judged only when given.
    if (p.helo && p.heloMatches === false && d.heloSource !== 'greeting') {
      out.push(makeFinding('dns.ptr-helo-mismatch', { evidence: [{ text: `HELO ${p.helo}, PTR ${p.names.join(', ')}`, where }], confidence: ipConfidence(d), vars }));
    }
  }
  return out;
}

function addressFindings(d: DomainFacts): Finding[] {
  const out: Finding[] = [];
  const a = d.addresses;
  const domainHost = a.hosts.find((h) => h.role === 'domain');
  if (a.domain.error === 'NXDOMAIN' && a.mx.error === 'NXDOMAIN' && !domainHost?.cnames.length) {
    out.push(makeFinding('dns.domain-not-found', { evidence: [{ text: 'NXDOMAIN', where: `${d.domain} via ${d.resolver}` }], vars: { domain: d.domain } }));
    return out;
  }
  if (!a.mx.records.length && (a.mx.error === 'NODATA' || a.mx.error === 'NXDOMAIN')) {
    out.push(makeFinding('dns.mx-missing', { evidence: [{ text: `no MX records (${a.mx.error})`, where: `MX ${d.domain}` }], vars: { domain: d.domain } }));
  }
  for (const h of a.hosts.filter((x) => x.dangling)) {
    out.push(makeFinding('dns.dangling-cname', { evidence: [{ text: `${[h.name, ...h.cnames].join(' → ')}: ${h.dangling} does not exist (NXDOMAIN)`, where: `CNAME ${h.name}` }], vars: { name: h.name, target: h.dangling } }));
  }
  // A resolver that answers nothing at all (not even the root or the names above the domain) failed these lookups
  // itself: one finding about it, none that sends the domain owner to their name servers.
  if (d.failedLookups.length && d.resolverCheck && !d.resolverCheck.resolverAnswersOtherNames) {
    out.push(makeFinding('dns.resolver-failed', {
      evidence: [...d.failedLookups.map((l) => ({ text: `${l.type} ${l.name}: ${l.error}`, where: d.resolver })), { text: 'the same resolver answered nothing for the root or the names above the domain either', where: d.resolver }],
      vars: { domain: d.domain, resolver: d.resolver }, confidence: 'likely',
    }));
    return out;
  }
  for (const l of d.failedLookups) {
    out.push(makeFinding('dns.lookup-failed', { evidence: [{ text: `${l.type} ${l.name}: ${l.error}`, where: d.resolver }], vars: { error: l.error } }));
  }
  return out;
}

function propagationFindings(d: DomainFacts): Finding[] {
  return (d.propagation?.differences ?? []).map((x) => makeFinding('dns.propagation-mismatch', {
    evidence: [
      { text: `${x.type} ${x.name}: ${x.authoritative.join(', ') || '(none)'}`, where: `authoritative ${x.authoritativeServer}` },
      { text: `${x.type} ${x.name}: ${x.recursive.join(', ') || '(none)'}`, where: `resolver ${x.recursiveServer}` },
    ],
    vars: { name: `${x.type} ${x.name}` },
  }));
}

function policyFindings(d: DomainFacts): Finding[] {
  const out: Finding[] = [];
  const s = d.mtaSts;
  if (s?.fetchError) out.push(makeFinding('dns.mta-sts-policy-unreachable', { evidence: [{ text: s.fetchError, where: s.policyUrl }, { text: s.txt.join(' '), where: `TXT _mta-sts.${d.domain}` }], vars: { url: s.policyUrl, domain: d.domain } }));
  if (s?.policy?.errors.length) out.push(makeFinding('dns.mta-sts-policy-invalid', { evidence: s.policy.errors.map((e) => ({ text: e, where: s.policyUrl })), vars: { domain: d.domain } }));
  for (const mx of s?.mxNotCovered ?? []) {
    out.push(makeFinding('dns.mta-sts-mx-mismatch', { evidence: [{ text: `MX ${mx}; policy mx: ${s!.policy!.mx.join(', ')} (mode ${s!.policy!.mode})`, where: s!.policyUrl }], vars: { mx } }));
  }
  if (d.tlsRpt?.syntaxErrors.length) out.push(makeFinding('dns.tls-rpt-syntax', { evidence: [...d.tlsRpt.syntaxErrors.map((e) => ({ text: e, where: `TXT ${d.tlsRpt!.name}` }))], vars: { domain: d.domain } }));
  for (const t of d.dane ?? []) {
    const where = `TLSA ${t.name}`;
    const records = t.records.map((r) => ({ text: `${r.usage} ${r.selector} ${r.mtype} ${r.data.slice(0, 16)}${r.data.length > 16 ? '…' : ''}`, where }));
    if (t.problems.length) out.push(makeFinding('dns.dane-tlsa-invalid', { evidence: [...t.problems.map((p) => ({ text: p, where })), ...records], vars: { mx: t.mx } }));
    else if (t.records.length && t.authenticated === false) out.push(makeFinding('dns.dane-unsigned', { evidence: [{ text: 'the resolver did not mark the answer as DNSSEC-validated (AD bit clear)', where }, ...records], vars: { mx: t.mx }, confidence: 'possible' }));
  }
  if (d.bimi?.syntaxErrors.length) out.push(makeFinding('dns.bimi-syntax', { evidence: [...d.bimi.syntaxErrors.map((e) => ({ text: e, where: `TXT ${d.bimi!.name}` }))], vars: { domain: d.domain } }));
  return out;
}

/** Every DNS finding for one domain's facts (also used per domain by `sendcheck domain --file`). */
/** The sender's address is at a consumer provider: say what the user can act on, not what the provider's DNS holds. */
export function consumerAddressFindings(d: DomainFacts): Finding[] {
  const p = d.consumerProvider!;
  const host = (d.smtpHost ?? '').toLowerCase().replace(/\.$/, '');
  const vars = { provider: p.name, domain: d.domain, host: host || 'your server', providerHosts: p.submissionHosts.join(', ') || `${p.name}'s submission server` };
  const evidence = [{ text: `${d.domain} is a ${p.name} address domain`, where: 'data/consumer-domains.json' }];
  if (host && p.submissionHosts.includes(host)) return [makeFinding('dns.consumer-address', { evidence: [...evidence, { text: `SMTP host ${host} is ${p.name}'s submission server`, where: 'data/providers.json' }], vars })];
  const policy = d.dmarc.parsed?.p;
  return [makeFinding('dns.consumer-address-foreign-server', {
    evidence: [...evidence, { text: `SMTP host ${host || '(unknown)'} is not among ${p.name}'s submission servers (${vars.providerHosts})` },
      { text: policy ? `${p.name}'s DMARC policy: p=${policy}` : `${p.name}'s DMARC record could not be read${d.dmarc.lookupError ? ` (${d.dmarc.lookupError})` : ''}`, where: `TXT _dmarc.${d.domain}` }],
    vars,
    severity: policy === 'reject' ? 'blocker' : 'warning',
    confidence: policy ? 'likely' : 'possible',
  })];
}

export function judgeDomainDns(d: DomainFacts): Finding[] {
  // A gmail.com sender does not own gmail.com's DNS: nothing else in it is the user's to fix.
  if (d.consumerProvider) return consumerAddressFindings(d);
  const addresses = addressFindings(d);
  // A domain that does not exist has no SPF or DMARC either: one finding says it all.
  if (addresses.some((f) => f.code === 'dns.domain-not-found')) return addresses;
  return [...addresses, ...spfFindings(d), ...dkimFindings(d), ...dmarcFindings(d), ...ptrFindings(d), ...policyFindings(d), ...propagationFindings(d)];
}

export const dnsRule = defineRule({
  name: 'domain-dns',
  run(facts) {
    const d = domainFactsOf(facts);
    return d ? judgeDomainDns(d) : [];
  },
});

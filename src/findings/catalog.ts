// The finding catalog: every code sendcheck can emit, gathered from one file per area.
// docs/findings.md is generated from this (npm run docs:findings) and a test keeps the two in step.
import { DELIVERY_FINDINGS } from './defs/delivery.js';
import { DOMAIN_FINDINGS } from './defs/domain.js';
import { EXPLAIN_FINDINGS } from './defs/explain.js';
import { NETWORK_FINDINGS } from './defs/network.js';
import { ROUNDTRIP_FINDINGS } from './defs/roundtrip.js';
import { SMTP_PATH_FINDINGS } from './defs/smtp-path.js';
import type { FindingDef } from './types.js';

export const FINDING_DEFS: readonly FindingDef[] = [...SMTP_PATH_FINDINGS, ...DELIVERY_FINDINGS, ...DOMAIN_FINDINGS, ...NETWORK_FINDINGS, ...EXPLAIN_FINDINGS, ...ROUNDTRIP_FINDINGS];

const BY_CODE = new Map<string, FindingDef>();
for (const def of FINDING_DEFS) {
  if (BY_CODE.has(def.code)) throw new Error(`internal: finding code ${def.code} is defined twice`);
  BY_CODE.set(def.code, def);
}

export function findingDef(code: string): FindingDef {
  const def = BY_CODE.get(code);
  if (!def) throw new Error(`internal: unknown finding code ${code}`);
  return def;
}

export function isFindingCode(code: string): boolean {
  return BY_CODE.has(code);
}

// The rule registry: every rule the engine runs, in no particular order (the report orders findings).
import { certificateRule } from './certificates.js';
import { dnsRule } from './dns.js';
import { firewallRule } from './firewall.js';
import { portBlockageRule } from './port-blockage.js';
import { securitySoftwareRule } from './security-software.js';
import { plaintextCredentialsRule } from './client-config.js';
import { reputationRule } from './reputation.js';
import { localOverrideRule, resolutionRule } from './resolution.js';
import { roundtripRule } from './roundtrip.js';
import { sessionPathRule } from './session-path.js';
import { discoveryRule } from './discovery.js';
import { probeErrorRule } from './probe-errors.js';
import type { Rule } from './types.js';

export const RULES: Rule[] = [resolutionRule, localOverrideRule, sessionPathRule, certificateRule, plaintextCredentialsRule, dnsRule, reputationRule, portBlockageRule, firewallRule, securitySoftwareRule, roundtripRule, discoveryRule, probeErrorRule];

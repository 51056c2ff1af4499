// Extension probes: areas beyond the core SMTP path (network-path analysis, domain audit, discovery details)
// register here. Each runs concurrently with the core probes and awaits only what it needs.
import { domainProbe } from './domain.js';
import { networkProbe } from './network/index.js';
import type { ExtensionProbe } from './probe.js';

export const EXTENSION_PROBES: ExtensionProbe[] = [domainProbe, networkProbe];

// Consumer mailbox domains (data/consumer-domains.json): a gmail.com or outlook.com address belongs to a person, its
// domain's DNS to the provider. The sender's-domain audit in `check` records which provider it is and its own
// submission hosts (data/providers.json), so the rules say what the user can act on instead of judging the
// provider's DNS as the user's.
import { loadDataTable } from '../data.js';
import type { ConsumerProviderFact } from '../facts/domain.js';

interface ConsumerEntry { id: string; name: string; providerId: string; domains: string[]; source: string }
interface ProviderRow { id: string; submission: { host: string }[]; mxSuffixes?: string[] }

export function consumerProviderFor(domain: string): ConsumerProviderFact | undefined {
  const d = domain.toLowerCase().replace(/\.$/, '');
  const entry = loadDataTable<ConsumerEntry>('consumer-domains.json').find((e) => e.domains.includes(d));
  if (!entry) return undefined;
  const provider = loadDataTable<ProviderRow>('providers.json').find((p) => p.id === entry.providerId);
  return { id: entry.id, name: entry.name, submissionHosts: [...new Set(provider?.submission.map((s) => s.host.toLowerCase()) ?? [])], source: entry.source };
}

// Reads the received copy's header block into facts: the hops it took, what the receiver's authentication checks
// said, and what its spam filter thought. Parsing lives in ./headers; this file only picks what applies to us.
import {
  headerValues, hopDelays, parseArcAuthenticationResults, parseAuthenticationResults, parseHeaderBlock, parseReceivedChain,
  parseReceivedSpf, readSpamVerdicts,
} from './headers/index.js';
import { TOKEN_HEADER } from './message.js';
import type { FolderInfo, ReceivedCopy } from '../facts/roundtrip.js';

export function readReceivedCopy(input: {
  folder: FolderInfo;
  uid: number;
  headers: Uint8Array;
  token: string;
  foundAfterMs: number;
  internalDate?: Date;
  size?: number;
}): ReceivedCopy {
  const fields = parseHeaderBlock(input.headers);
  const hops = parseReceivedChain(fields);
  return {
    folder: input.folder,
    uid: input.uid,
    foundAfterMs: input.foundAfterMs,
    internalDate: input.internalDate && !Number.isNaN(input.internalDate.getTime()) ? input.internalDate.toISOString() : undefined,
    size: input.size,
    hops,
    delays: hopDelays(hops),
    // Topmost first: the receiving side's own verdicts are the ones added last (RFC 8601 5: a receiver adds its
    // header at the top; ones further down may come from elsewhere and are reported, not trusted over the top one).
    authResults: headerValues(fields, 'Authentication-Results').map(parseAuthenticationResults),
    receivedSpf: headerValues(fields, 'Received-SPF').map(parseReceivedSpf),
    arc: headerValues(fields, 'ARC-Authentication-Results').map(parseArcAuthenticationResults),
    spam: readSpamVerdicts(fields),
    tokenHeaderKept: headerValues(fields, TOKEN_HEADER).some((v) => v.trim() === input.token),
  };
}

// Parsers for the header block of the received copy that `sendcheck roundtrip` reads back over IMAP: the Received
// chain with per-hop delays, the receiver's authentication verdicts, and the spam filters' verdicts. Pure: no I/O.
export { parseHeaderBlock, headerValues, MAX_HEADER_BYTES, MAX_HEADER_FIELDS, type HeaderField } from './header-block.js';
export { parseReceived, parseReceivedChain, hopDelays, parseMailDate, type HopDelay } from './received.js';
export {
  parseAuthenticationResults,
  parseArcAuthenticationResults,
  parseReceivedSpf,
} from './auth-results.js';
export { readSpamVerdicts } from './spam-verdict.js';
export type { ReceivedHop, AuthResult, AuthResultsHeader, SpamVerdict, SpamFilter } from '../../facts/roundtrip.js';

// Facts of `sendcheck explain`: what was read from a pasted text, a log or a bounce. Each item is one thing read (a
// DSN recipient, a reply line, a client error, an Outlook number) with the reading the tables gave it (the reply
// classifier's code, the client-error entry, or the rest of the text refining it; `entry` says which). What the
// text names (sender, server, port) and what the input limits left unread are kept beside the items. No findings
// here: rules/explain.ts judges these facts, live and on --replay.
import type { ReceivedHeaders } from './roundtrip.js';

/** How surely a table reads an item: the same three levels a finding's confidence has. */
export type ReadingConfidence = 'certain' | 'likely' | 'possible';

export interface ExplainItem {
  /** Where the item came from: one DSN recipient, a bounce's text, a reply line, a client error, an Outlook number. */
  kind: 'dsn-recipient' | 'bounce-recipient' | 'feedback' | 'auto-reply' | 'reply' | 'client-error' | 'outlook-error';
  /** The finding code the item reads as (`explain.unrecognized` when no table knew it). */
  code: string;
  confidence: ReadingConfidence;
  /** The words the finding rests on (one line, cut to 300 characters). */
  text: string;
  recipient?: string;
  action?: string;
  status?: string;
  replyCode?: number;
  remoteMta?: string;
  /** The provider-errors.json or client-errors entry that matched, if any. */
  entry?: string;
  /** Reports of schema 1.0–1.6 only: the command to run next (since 1.7 the finding's fix says it, made by the rules
   * from `sender`, `host`, `port` and the item's recipient). */
  next?: string;
  /** Values for the finding's {placeholders}, when the text names them (the interception product, the host). */
  vars?: Record<string, string>;
}

export interface ExplainResult {
  input: 'message' | 'text';
  messageKind?: string;
  sender?: string;
  /** The mail server a pasted text names (smtp.…, mail.…), for the command to run next. */
  host?: string;
  /** The port a pasted text names ("port 465", "host:587"). */
  port?: number;
  items: ExplainItem[];
  /** A received message (not a bounce): the receiver's verdicts in its headers, judged like a round trip's copy. */
  received?: ReceivedHeaders;
  /** What the input limits left unread (LIMITS.maxExplainItems, maxExplainLines, maxMimeParts), said in the report. */
  cut?: string[];
}

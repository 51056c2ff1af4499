// Every size, count and time limit that keeps hostile or broken input (a server, a file, a page) from exhausting
// memory, flooding the output or hanging a run, named in one place. docs/security.md ("Limits") lists them; a test
// drives each one past its edge. Exceeding one is a finding (from a server) or a one-line error, exit 2 (from input).
export const LIMITS = {
  // ---------------------------------------------------------------- SMTP (and POP3) replies
  /** One reply line (RFC 5321 says 512 octets; real servers exceed it, so allow some slack). */
  maxLineBytes: 4096,
  /** Lines in one multi-line reply (an EHLO reply has a dozen). */
  maxReplyLines: 200,
  /** Bytes in one multi-line reply, all lines together: an endless reply stops here. */
  maxReplyBytes: 64 * 1024,
  /** Bytes of a non-SMTP first answer kept as evidence. */
  maxFirstBytes: 200,

  // ---------------------------------------------------------------- output
  /** Characters of one outside text (a reply, an error message) kept in a finding's evidence. */
  maxEvidenceChars: 2000,
  /** Characters of one transcript line. */
  maxTranscriptLineChars: 512,
  /** Lines of one transcript. */
  maxTranscriptLines: 2000,

  // ---------------------------------------------------------------- user input (files, stdin)
  /** `explain`: a bounce, a log or stdin. */
  maxExplainBytes: 10 * 1024 * 1024,
  /** `check --replay`: a saved --json report. */
  maxReplayBytes: 50 * 1024 * 1024,
  /** `domain --message`: one message whose DKIM signature is checked. */
  maxMessageBytes: 10 * 1024 * 1024,
  /** `domain --file`: a list of domains. */
  maxDomainListBytes: 10 * 1024 * 1024,
  /** `--ca`: one PEM file. */
  maxCaBytes: 1024 * 1024,
  /** `--password-stdin` / `--oauth-token-stdin`. */
  maxSecretBytes: 64 * 1024,
  /** `--from-config`: a mail client's configuration. */
  maxConfigBytes: 1024 * 1024,
  /** Accounts checked from one client configuration. */
  maxConfigAccounts: 20,
  /** Ports in `--ports` (each is a connection per address). */
  maxSweepPorts: 16,
  /** An autoconfig document fetched over HTTPS. */
  maxAutoconfigBytes: 256 * 1024,

  // ---------------------------------------------------------------- local evidence (/proc, /sys; network probe)
  /** A small kernel or machine file: ICMP counters, a process name, PID 1's cgroups, a DMI field. */
  maxLocalFileBytes: 64 * 1024,
  /** The socket tables /proc/net/tcp and tcp6 (about 150 bytes a socket: some 100,000 sockets). */
  maxSocketTableBytes: 16 * 1024 * 1024,

  // ---------------------------------------------------------------- explain parsers (linear, and bounded in count)
  /** MIME parts in one message, all levels together. */
  maxMimeParts: 100,
  /** MIME nesting depth. */
  maxMimeDepth: 8,
  /** Recipients read from one bounce. */
  maxBounceRecipients: 50,
  /** Lines of a log or bounce looked at. */
  maxExplainLines: 200_000,
  /** Items (a reply, a recipient, a client error) kept from one input; the rest are counted, not kept. */
  maxExplainItems: 500,
  /** Characters scanned for one address or enhanced status code (longer runs are not addresses). */
  maxTokenChars: 320,

  // ---------------------------------------------------------------- SPF (RFC 7208 §4.6.4)
  /** DNS-querying mechanisms and modifiers per evaluation. */
  maxSpfLookups: 10,
  /** Lookups that return nothing. */
  maxSpfVoidLookups: 2,
  /** MX names looked at for one `mx` mechanism. */
  maxSpfMxNames: 10,

  // ---------------------------------------------------------------- time
  /** The whole run: `runDeadlineMs(timeout)` in src/engine.ts (docs/security.md "Run deadline"). */
  runDeadlineSteps: 4,
  runDeadlineSlackMs: 2000,
} as const;

/** The run deadline for a per-step timeout: a few dependent steps (discovery, resolve, connect and converse, login),
 * each bounded by the timeout, plus a little slack. Every step is given what is left of it, never more. */
export function runDeadlineMs(timeoutMs: number): number {
  return timeoutMs * LIMITS.runDeadlineSteps + LIMITS.runDeadlineSlackMs;
}

/** Cuts outside text to `max` characters, saying how much was cut (never silently). */
export function capText(text: string, max: number = LIMITS.maxEvidenceChars): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters cut)` : text;
}

// Size limits that keep a hostile or broken server from exhausting memory or hanging a parse.
export const LIMITS = {
  /** One reply line (RFC 5321 says 512 octets; real servers exceed it, so allow some slack). */
  maxLineBytes: 4096,
  /** Lines in one multi-line reply (an EHLO reply has a dozen). */
  maxReplyLines: 200,
  /** Bytes buffered from a server before we give up on it. */
  maxBufferedBytes: 64 * 1024,
  /** Bytes of a non-SMTP first answer kept as evidence. */
  maxFirstBytes: 200,
} as const;

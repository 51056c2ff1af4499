// `sendcheck roundtrip`: `check --roundtrip` under its own name (same flags, same engine, same report).
import { ExitCode } from '../errors.js';
import { checkCommand, type CliIo } from './check-command.js';

export const ROUNDTRIP_HELP = `Usage: sendcheck roundtrip ADDRESS [options]

Send yourself a test message through your outgoing server and watch it arrive through the inbox that works:
  1. logs in to your IMAP server with the same password (IMAP ok + SMTP refused = an SMTP-specific cause;
     both refused = the password is wrong), one attempt each;
  2. checks the SMTP path like sendcheck check, then sends one tagged message to your own address;
  3. waits for it in the inbox and the junk folder (IMAP IDLE where offered), up to --wait seconds;
  4. reads what the receiver saw: the Received chain with the delay at each hop, Authentication-Results (SPF,
     DKIM, DMARC, ARC), spam-filter headers, the folder;
  5. deletes the message (unless --keep) and logs out.

Examples:
  sendcheck roundtrip you@example.com                       (settings and IMAP server discovered)
  sendcheck roundtrip you@example.com --host smtp.example.com --imap imap.example.com:993 --password-stdin

Options: every option of sendcheck check (sendcheck check --help), plus
  --imap HOST[:PORT]       the account's IMAP server (default: discovered, then imap./mail. guesses)
  --pop3 HOST[:PORT]       an account read over POP3: the password cross-check only (POP3 cannot watch a
                           message arrive without a second login; nothing is sent)
  --imap-security MODE     implicit-tls (default on 993/995) | starttls
  --wait SECONDS           how long to wait for the message (default 120, max 900)
  --keep                   leave the test message in the mailbox
  --to ADDRESS             send there instead of your own address (an alias that delivers to this mailbox)

Exit codes: 0 nothing blocks sending, 1 a blocker was found (including "accepted but never arrived"),
2 bad usage or input, 3 internal error.
`;

export async function roundtripCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(ROUNDTRIP_HELP);
    return ExitCode.ok;
  }
  return checkCommand(['--roundtrip', ...argv.filter((a) => a !== '--roundtrip')], io);
}

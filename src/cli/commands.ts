// The command table: each command is one module, loaded only when it runs (start-up time is part of every
// diagnosis: `check` should not pay for the domain audit's or the demo's libraries). Add new commands here.
import type { CliIo } from './check-command.js';

export interface Command {
  name: string;
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const COMMANDS: Command[] = [
  { name: 'check', summary: 'diagnose the outgoing SMTP path (server, port, TLS, login, envelope)', run: async (a, io) => (await import('./check-command.js')).checkCommand(a, io) },
  { name: 'roundtrip', summary: 'send yourself a test message and watch it arrive over IMAP: folder, hops, SPF/DKIM/DMARC, spam score', run: async (a, io) => (await import('./roundtrip-command.js')).roundtripCommand(a, io) },
  { name: 'domain', summary: 'audit a sending domain: SPF, DKIM, DMARC, reverse DNS, MTA-STS, propagation, blocklists', run: async (a, io) => (await import('./domain-command.js')).domainCommand(a, io) },
  { name: 'explain', summary: 'explain an error message, a bounce (.eml) or a log: the cause and what to run next', run: async (a, io) => (await import('./explain-command.js')).explainCommand(a, io) },
  { name: 'serve', summary: 'the same checks in a local web page (loopback only)', run: async (a, io) => (await import('./serve-command.js')).serveCommand(a, io) },
  { name: 'demo', summary: 'run check against built-in faulty servers on loopback (no network, no account)', run: async (a, io) => (await import('./demo-command.js')).demoCommand(a, io) },
];

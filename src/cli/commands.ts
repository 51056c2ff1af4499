// The command table: each command is one module; add new commands here.
import { checkCommand, type CliIo } from './check-command.js';
import { demoCommand } from './demo-command.js';
import { domainCommand } from './domain-command.js';
import { explainCommand } from './explain-command.js';
import { serveCommand } from './serve-command.js';

export interface Command {
  name: string;
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const COMMANDS: Command[] = [
  { name: 'check', summary: 'diagnose the outgoing SMTP path (server, port, TLS, login, envelope)', run: checkCommand },
  { name: 'domain', summary: 'audit a sending domain: SPF, DKIM, DMARC, reverse DNS, MTA-STS, propagation, blocklists', run: domainCommand },
  { name: 'explain', summary: 'explain an error message, a bounce (.eml) or a log: the cause and what to run next', run: explainCommand },
  { name: 'serve', summary: 'the same checks in a local web page (loopback only)', run: serveCommand },
  { name: 'demo', summary: 'run check against built-in faulty servers on loopback (no network, no account)', run: demoCommand },
];

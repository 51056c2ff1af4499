// The scenarios of `sendcheck demo`: a small "provider" on loopback (a STARTTLS port and an implicit-TLS port,
// with one fault), sometimes seen through a middlebox or next to a port the kernel drops, and the client settings
// a user might have. Each runs the real engine over real sockets, offline.
import type { CheckInput } from '../input/parse.js';
import { demoCaPem } from './certs.js';
import { startDroppingPort } from './dropping-port.js';
import { startMiddlebox, type MiddleboxOptions } from './middlebox.js';
import { startScriptedSmtp, type Fault, type RunningServer, type ScriptedOptions } from './scripted-smtp.js';

export interface DemoScenario {
  id: string;
  title: string;
  /** What the user configured, in words. */
  story: string;
  fault: Fault;
  cert?: ScriptedOptions['cert'];
  /** Which port the client uses (the provider's two, or one the kernel silently drops), and with which security. */
  client: { port: 'starttls' | 'implicit' | 'dropped'; security: 'starttls' | 'implicit-tls' | 'none'; login: boolean; envelope: boolean; wrongPassword?: boolean };
  /** A firewall between the client and the provider's STARTTLS port. */
  middlebox?: Omit<MiddleboxOptions, 'upstreamPort' | 'upstreamHost'>;
  /** The hold test (--hold SECONDS): an idle connection, then NOOP. */
  holdSeconds?: number;
  /** The root cause this scenario must produce (checked by the tests). */
  expect: string | null;
  /** For a scenario about a warning (no blocker): the finding it must show. */
  shows?: string;
}

export const DEMO_USER = 'demo@demo.test';
export const DEMO_PASSWORD = 'demo-password';

export const DEMO_SCENARIOS: DemoScenario[] = [
  { id: 'healthy', title: 'Everything works', story: 'port 587-style STARTTLS, correct password', fault: 'none', client: { port: 'starttls', security: 'starttls', login: true, envelope: true }, expect: null },
  { id: 'ssl-on-starttls-port', title: 'SSL/TLS on a STARTTLS port', story: 'the client says SSL/TLS, but the port speaks STARTTLS', fault: 'none', client: { port: 'starttls', security: 'implicit-tls', login: true, envelope: false }, expect: 'tls.mode-mismatch.implicit-on-starttls-port' },
  { id: 'starttls-on-implicit-port', title: 'STARTTLS on the SSL/TLS port', story: 'the client says STARTTLS, but the port expects TLS at once', fault: 'none', client: { port: 'implicit', security: 'starttls', login: true, envelope: false }, expect: 'tls.mode-mismatch.starttls-on-implicit-port' },
  { id: 'wrong-password', title: 'Changed password', story: 'the password in the client is an old one', fault: 'none', client: { port: 'starttls', security: 'starttls', login: true, envelope: false, wrongPassword: true }, expect: 'auth.credentials-rejected' },
  { id: 'app-password', title: 'Two-step verification turned on', story: 'the provider now wants an app password', fault: 'app-password-required', client: { port: 'starttls', security: 'starttls', login: true, envelope: false }, expect: 'auth.app-password-required' },
  { id: 'relay-denied', title: 'No login configured', story: '"outgoing server requires authentication" is off', fault: 'relay-denied', client: { port: 'starttls', security: 'starttls', login: false, envelope: true }, expect: 'envelope.relay-denied' },
  { id: 'expired-certificate', title: 'Expired server certificate', story: 'the provider forgot to renew its certificate', fault: 'none', cert: 'expired', client: { port: 'starttls', security: 'starttls', login: true, envelope: false }, expect: 'tls.certificate-expired' },
  // A real kernel drop, no root: a listener whose accept queue is full (dropping-port.ts). The timeout is the point.
  { id: 'dropped-port', title: 'A port that silently drops', story: 'the client uses a port where nothing ever answers (a firewall\'s DROP): one timeout, then the ports that work', fault: 'none', client: { port: 'dropped', security: 'implicit-tls', login: true, envelope: false }, expect: 'port.filtered' },
  { id: 'antivirus-interception', title: 'An antivirus re-signs TLS', story: 'a security suite decrypts mail to scan it (a demo CA named like Avast\'s Web/Mail Shield root)', fault: 'none', cert: 'interception', client: { port: 'starttls', security: 'starttls', login: true, envelope: false }, expect: 'security-software.tls-interception' },
  { id: 'starttls-stripped', title: 'STARTTLS stripped on the way', story: 'a firewall\'s ESMTP inspection rewrites STARTTLS to XXXXXXXA, so the password would travel in clear', fault: 'none', middlebox: { maskStarttls: true }, client: { port: 'starttls', security: 'starttls', login: true, envelope: false }, expect: 'filter.starttls-stripped' },
  { id: 'idle-cut', title: 'Idle connections cut', story: 'a router forgets connections idle for 1 s; the hold test waits 2 s, then says NOOP', fault: 'none', middlebox: { idleCutMs: 1000 }, holdSeconds: 2, client: { port: 'starttls', security: 'starttls', login: true, envelope: false }, expect: null, shows: 'firewall.idle-cut' },
];

export interface DemoProvider {
  /** The STARTTLS port as the client reaches it (through the middlebox, when the scenario has one). */
  starttls: RunningServer;
  implicit: RunningServer;
  /** A port whose SYNs the kernel drops, when the scenario uses one. */
  dropped?: { port: number };
  close(): Promise<void>;
}

export async function startDemoProvider(s: DemoScenario): Promise<DemoProvider> {
  const common = { fault: s.fault, cert: s.cert, user: DEMO_USER, password: DEMO_PASSWORD };
  const [server, implicit, dropped] = await Promise.all([
    startScriptedSmtp({ ...common, mode: 'starttls' }),
    startScriptedSmtp({ ...common, mode: 'implicit-tls' }),
    s.client.port === 'dropped' ? startDroppingPort() : undefined,
  ]);
  const box = s.middlebox ? await startMiddlebox({ ...s.middlebox, upstreamPort: server.port }) : undefined;
  const closers: { close(): Promise<void> }[] = [server, implicit, ...(box ? [box] : []), ...(dropped ? [dropped] : [])];
  return { starttls: box ?? server, implicit, dropped, close: async () => { await Promise.all(closers.map((c) => c.close())); } };
}

export function demoInput(s: DemoScenario, p: DemoProvider, timeoutMs = 2000): CheckInput {
  const port = s.client.port === 'starttls' ? p.starttls.port : s.client.port === 'dropped' ? p.dropped!.port : p.implicit.port;
  return {
    host: '127.0.0.1',
    port,
    security: s.client.security,
    user: s.client.login ? DEMO_USER : undefined,
    password: s.client.login ? (s.client.wrongPassword ? 'old-password' : DEMO_PASSWORD) : undefined,
    from: s.client.envelope ? DEMO_USER : undefined,
    to: s.client.envelope ? ['friend@elsewhere.demo'] : undefined,
    ca: [demoCaPem()],
    sweepPorts: [p.starttls.port, p.implicit.port, ...(p.dropped ? [p.dropped.port] : [])],
    implicitTlsPorts: [p.implicit.port, ...(p.dropped ? [p.dropped.port] : [])],
    timeoutMs,
    origin: 'demo',
    ...(s.holdSeconds ? { options: { network: { holdSeconds: s.holdSeconds } } } : {}),
  };
}

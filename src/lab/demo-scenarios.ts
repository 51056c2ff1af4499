// The scenarios of `sendcheck demo`: a small "provider" on loopback (a STARTTLS port and an implicit-TLS port,
// with one fault), and the client settings a user might have. Each runs the real engine over real sockets.
import type { CheckInput } from '../input/parse.js';
import { demoCaPem } from './certs.js';
import { startScriptedSmtp, type Fault, type RunningServer, type ScriptedOptions } from './scripted-smtp.js';

export interface DemoScenario {
  id: string;
  title: string;
  /** What the user configured, in words. */
  story: string;
  fault: Fault;
  cert?: ScriptedOptions['cert'];
  /** Which of the provider's two ports the client uses, and with which security. */
  client: { port: 'starttls' | 'implicit'; security: 'starttls' | 'implicit-tls' | 'none'; login: boolean; envelope: boolean; wrongPassword?: boolean };
  /** The root cause this scenario must produce (checked by the tests). */
  expect: string | null;
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
];

export interface DemoProvider {
  starttls: RunningServer;
  implicit: RunningServer;
  close(): Promise<void>;
}

export async function startDemoProvider(s: DemoScenario): Promise<DemoProvider> {
  const common = { fault: s.fault, cert: s.cert, user: DEMO_USER, password: DEMO_PASSWORD };
  const [starttls, implicit] = await Promise.all([
    startScriptedSmtp({ ...common, mode: 'starttls' }),
    startScriptedSmtp({ ...common, mode: 'implicit-tls' }),
  ]);
  return { starttls, implicit, close: async () => { await Promise.all([starttls.close(), implicit.close()]); } };
}

export function demoInput(s: DemoScenario, p: DemoProvider, timeoutMs = 2000): CheckInput {
  const port = s.client.port === 'starttls' ? p.starttls.port : p.implicit.port;
  return {
    host: '127.0.0.1',
    port,
    security: s.client.security,
    user: s.client.login ? DEMO_USER : undefined,
    password: s.client.login ? (s.client.wrongPassword ? 'old-password' : DEMO_PASSWORD) : undefined,
    from: s.client.envelope ? DEMO_USER : undefined,
    to: s.client.envelope ? ['friend@elsewhere.demo'] : undefined,
    ca: [demoCaPem()],
    sweepPorts: [p.starttls.port, p.implicit.port],
    implicitTlsPorts: [p.implicit.port],
    timeoutMs,
    origin: 'demo',
  };
}

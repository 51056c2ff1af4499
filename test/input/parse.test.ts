// Turning what a user typed into a Target: URLs, addresses, hosts, defaults, and refusals.
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.js';
import { buildTarget, parseLocation } from '../../src/input/parse.js';
import { Secret } from '../../src/input/secret.js';
import { validateHost, validateResolver } from '../../src/input/validate.js';
import { inspect } from 'node:util';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isUserError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('parseLocation', () => {
  it('smtp:// and smtps:// URLs', () => {
    expect(parseLocation('smtp://alice@mail.example.com:587')).toMatchObject({ host: 'mail.example.com', port: 587, user: 'alice', security: undefined });
    expect(parseLocation('smtps://mail.example.com')).toMatchObject({ host: 'mail.example.com', security: 'implicit-tls' });
    expect(parseLocation('smtp://a%40b.c@[2001:db8::1]:2525?security=starttls')).toMatchObject({ host: '2001:db8::1', port: 2525, user: 'a@b.c', security: 'starttls' });
  });
  it('email addresses and bare hosts', () => {
    expect(parseLocation('alice@Example.COM')).toEqual({ email: 'alice@example.com', user: 'alice@example.com' });
    expect(parseLocation('mail.example.com:465')).toEqual({ host: 'mail.example.com', port: 465 });
    expect(parseLocation('bücher.example')).toEqual({ host: 'xn--bcher-kva.example', port: undefined });
  });
  it('refuses what is not a target', () => {
    expect(refusal(() => parseLocation('http://mail.example.com'))).toMatch(/scheme "http:"/);
    expect(refusal(() => parseLocation('smtp://mail.example.com/path'))).toMatch(/has a path/);
    expect(refusal(() => parseLocation('mail..example.com'))).toMatch(/not a valid host/);
    expect(refusal(() => parseLocation('-bad.example.com'))).toMatch(/not a valid host/);
    expect(refusal(() => parseLocation('mail.example.com\r\nQUIT'))).toMatch(/contains CR/);
  });
});

describe('buildTarget', () => {
  it('defaults: 587 STARTTLS, 465 implicit TLS, and the sweep always includes the configured port', () => {
    expect(buildTarget({ host: 'mail.example.com' })).toMatchObject({ port: 587, security: 'starttls', explicitPort: false, sweepPorts: [25, 465, 587, 2525] });
    expect(buildTarget({ host: 'mail.example.com', port: 465 })).toMatchObject({ security: 'implicit-tls' });
    expect(buildTarget({ host: 'mail.example.com', security: 'ssl' })).toMatchObject({ port: 465, security: 'implicit-tls' });
    expect(buildTarget({ host: 'mail.example.com', port: 10025 }).sweepPorts).toEqual([25, 465, 587, 2525, 10025]);
  });
  it('wraps passwords in Secret, which never prints', () => {
    const t = buildTarget({ host: 'h.example.com', user: 'u', password: 'hunter2' });
    expect(t.credentials?.password).toBeInstanceOf(Secret);
    expect(`${t.credentials?.password}`).toBe('[secret]');
    expect(JSON.stringify(t)).not.toContain('hunter2');
    expect(inspect(t, { depth: 5 })).not.toContain('hunter2');
    expect(t.credentials?.password?.reveal()).toBe('hunter2');
  });
  it('refuses inconsistent or injected input', () => {
    expect(refusal(() => buildTarget({ host: 'h.example.com', password: 'x' }))).toMatch(/without a user name/);
    expect(refusal(() => buildTarget({ host: 'h.example.com', to: ['b@example.com'] }))).toMatch(/--to needs --from/);
    expect(refusal(() => buildTarget({ host: 'h.example.com', user: 'u', password: 'a\nb' }))).toMatch(/CR, LF or NUL/);
    expect(refusal(() => buildTarget({ host: 'h.example.com', from: 'a@b.example>\u0000' }))).toMatch(/NUL/);
    expect(refusal(() => buildTarget({ host: 'h.example.com', mechanisms: ['GSSAPI'] }))).toMatch(/mechanism "GSSAPI"/);
    expect(refusal(() => buildTarget({ host: 'h.example.com', from: 'not-an-address' }))).toMatch(/not an email address/);
    expect(refusal(() => buildTarget({}))).toMatch(/nothing to check/);
  });
});

describe('validators', () => {
  it('hosts: IP literals pass, junk does not', () => {
    expect(validateHost('[::1]')).toBe('::1');
    expect(validateHost('192.0.2.1')).toBe('192.0.2.1');
    expect(refusal(() => validateHost('a'.repeat(64) + '.example.com'))).toMatch(/not a valid host/);
    expect(refusal(() => validateHost('300.1.1.1'))).toMatch(/not a valid host/);
  });
  it('resolvers: ip, ip:port, [v6]:port', () => {
    expect(validateResolver('127.0.0.30')).toBe('127.0.0.30');
    expect(validateResolver('127.0.0.30:5353')).toBe('127.0.0.30:5353');
    expect(validateResolver('[::1]:53')).toBe('[::1]:53');
    expect(refusal(() => validateResolver('127.0.0.30:99999'))).toMatch(/not a TCP port/);
  });
});

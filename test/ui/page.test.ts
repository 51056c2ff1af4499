/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The web page in a real browser (Debian's chromium, playwright-core), against the lab's Postfix and DNS and a
// scripted server: an address alone → discovery → the answer, live progress on the drawn path, one login per click,
// the domain and explain tabs, a saved report opened again; at 1280 px and on a 390 px phone, with axe-core.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaPem } from '../../src/lab/certs.js';
import { startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { startUiServer } from '../../src/ui/server.js';
import { axeViolations, DESKTOP, horizontalOverflow, launchBrowser, openPage, PHONE, screenshotPath } from '../helpers/browser.js';
import { loadLabEnv, repoRoot, type LabEnv, type LabUser } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

let lab: LabEnv;
let browser: Browser;
let ui: { url: string; close(): Promise<void> };
const user = (role: string): LabUser => lab.users.find((u) => u.role === role)!;

beforeAll(async () => {
  lab = loadLabEnv();
  browser = await launchBrowser();
  ui = await startUiServer({ ca: [readFileSync(lab.caFile, 'utf8'), demoCaPem()], resolvers: [`${lab.dns.server}:${lab.dns.port}`] });
});
afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

/** Types the address and password, lets discovery fill in the rest, clicks Check, waits for the answer. */
async function checkAddress(page: Page, email: string, password: string, extra?: (p: Page) => Promise<void>): Promise<void> {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.press('#password', 'Tab');
  await extra?.(page);
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#answer-title', { timeout: 45_000 });
}
const text = (page: Page, sel: string) => page.locator(sel).innerText();
const nodeClass = (page: Page, node: string) => page.getAttribute(`.node[data-node="${node}"]`, 'class');

async function expectClean(page: Page, errors: string[], name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name) });
  expect(await axeViolations(page), name).toEqual([]);
  expect(errors, name).toEqual([]);
}

describe('the web page in a browser', () => {
  it('address → discovery fills the advanced settings with their source → a blocked run, answer first', async () => {
    const dave = user('smtp-auth-disabled');
    for (const [device, name] of [[DESKTOP, 'blocked-1280'], [PHONE, 'blocked-390']] as const) {
      const { context, page, errors } = await openPage(browser, ui.url, device);
      await page.fill('#email', dave.user);
      await page.press('#email', 'Tab');
      await page.click('#advanced summary');
      await expect.poll(() => page.inputValue('#host'), { timeout: 15_000 }).toBe(lab.smtpName);
      expect(await page.inputValue('#port')).toBe('465');
      expect(await page.inputValue('#security')).toBe('implicit-tls');
      expect(await text(page, '#host-source')).toContain('SRV _submissions._tcp.example.test');
      expect(await text(page, '#imap-source')).toContain('SRV _imaps._tcp.example.test');
      await page.click('#advanced summary');
      await checkAddress(page, dave.user, dave.password);
      expect(await text(page, '#answer-title')).toBe('Sending is blocked');
      expect(await text(page, '.cause')).toMatch(/What is wrong/);
      expect(await nodeClass(page, 'server')).toContain('failed');
      expect(await nodeClass(page, 'device')).toContain('ok');
      expect(await nodeClass(page, 'recipient')).toContain('skipped');
      // The answer is in view, focused; the password is kept for the next try; no flags outside "for the command line".
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('answer-title');
      const box = (await page.locator('#answer-title').boundingBox())!;
      expect(box.y + box.height).toBeLessThan(device.viewport.height);
      expect(await page.inputValue('#password')).toBe(dave.password);
      const outsideCli = await page.evaluate(() => [...document.querySelectorAll('.answer > :not(details)')].map((e) => (e as HTMLElement).innerText).join('\n'));
      expect(outsideCli).not.toMatch(/(^|\s)--[a-z]/);
      expect(await page.locator('#result').innerHTML()).not.toContain(dave.password);
      expect(await horizontalOverflow(page)).toBe(0);
      await expectClean(page, errors, name);
      if (device === PHONE) {
        // The narrowest phones in use: still no horizontal scroll, with the advanced settings open too.
        await page.setViewportSize({ width: 360, height: 740 });
        await page.click('#advanced summary');
        expect(await horizontalOverflow(page)).toBe(0);
      }
      await context.close();
    }
  });

  it('a healthy run: the settings that work, copyable, and the report downloads (HTML and JSON) without the password', async () => {
    const alice = user('inbox');
    for (const [device, name] of [[DESKTOP, 'ok-1280'], [PHONE, 'ok-390']] as const) {
      const { context, page, errors } = await openPage(browser, ui.url, device);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.url.replace(/\/$/, '') });
      await checkAddress(page, alice.user, alice.password);
      expect(await text(page, '#answer-title')).toMatch(/^Sending works/);
      const card = await text(page, '#settings-card');
      expect(card).toMatch(/Port:?\s*465/);
      expect(card).toMatch(/Connection security:?\s*SSL\/TLS/);
      expect(card).toMatch(/Authentication:?\s*normal password/);
      for (const n of ['device', 'local', 'isp', 'server']) expect(await nodeClass(page, n), n).toMatch(/ ok| warning/);
      await page.click('[data-copy="settings-card"]');
      await expect.poll(() => text(page, '.copied'), { timeout: 15_000 }).toBe('Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('Connection security: SSL/TLS');
      expect(await horizontalOverflow(page)).toBe(0);
      await expectClean(page, errors, name);
      if (device === DESKTOP) {
        for (const kind of ['json', 'html']) {
          const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${kind}"]`)]);
          const file = resolve(tempDir('ui'), download.suggestedFilename());
          await download.saveAs(file);
          const body = readFileSync(file, 'utf8');
          expect(download.suggestedFilename()).toMatch(new RegExp(`^sendcheck-check-mail\\.example\\.test\\.${kind}$`));
          expect(body).not.toContain(alice.password);
          if (kind === 'json') expect(JSON.parse(body).verdict).toMatch(/^(ok|warnings|at-risk)$/);
          else expect(body).toContain('<!doctype html>');
        }
      }
      await context.close();
    }
  });

  it('a round trip lights up the path as it goes, up to the recipient', async () => {
    const bob = lab.users.find((u) => u.user.startsWith('bob@'))!;
    const { context, page, errors } = await openPage(browser, ui.url);
    // Record every state each node passes through.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      // Several changes may land in one callback: each record's new value is the next record's old value.
      new MutationObserver((list) => {
        list.forEach((m, i) => {
          const el = m.target as HTMLElement;
          if (!el.classList?.contains('node')) return;
          const next = list.slice(i + 1).find((x) => x.target === el);
          const value = next ? next.oldValue ?? '' : el.className;
          seen.push(`${el.dataset.node}:${value.replace('node ', '')}`);
        });
      }).observe(document.getElementById('path')!, { attributes: true, attributeOldValue: true, subtree: true, attributeFilter: ['class'] });
    });
    await checkAddress(page, bob.user, bob.password, async (p) => {
      await p.click('#advanced summary');
      await p.check('#roundtrip');
      await p.fill('#wait', '30');
    });
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    for (const step of ['device:active', 'device:ok', 'local:active', 'server:active', 'recipient:active']) expect(seen, step).toContain(step);
    expect(seen.indexOf('recipient:active')).toBeGreaterThan(seen.indexOf('server:active'));
    expect(await nodeClass(page, 'recipient')).toContain('ok');
    await page.click('.answer details:has(> summary:text("Round trip")) > summary');
    expect(await text(page, '.answer')).toContain('test message deleted');
    expect(await page.content()).not.toContain(bob.password);
    await expectClean(page, errors, 'roundtrip-1280');
    await context.close();
  });

  it('a double click is one run and one login', async () => {
    const auths: (string | undefined)[] = [];
    const smtp: RunningServer = await startScriptedSmtp({ mode: 'starttls', user: 'demo@demo.test', password: 'Demo-Pass-1', onAuthAttempt: (u) => auths.push(u) });
    try {
      const { context, page, errors } = await openPage(browser, ui.url);
      await page.fill('#email', 'demo@demo.test');
      await page.fill('#password', 'Demo-Pass-1');
      await page.click('#advanced summary');
      await page.fill('#host', '127.0.0.1');
      await page.fill('#port', String(smtp.port));
      await page.selectOption('#security', 'starttls');
      const requests: string[] = [];
      page.on('request', (r) => { if (r.url().endsWith('/api/check')) requests.push(r.url()); });
      // Record the button's disabled state as it changes: disabled for the run, enabled again after.
      await page.evaluate(() => {
        const b = document.querySelector('#check-form button[type=submit]') as HTMLButtonElement;
        const seen: boolean[] = [];
        (window as unknown as { disabledSeen: boolean[] }).disabledSeen = seen;
        new MutationObserver(() => seen.push(b.disabled)).observe(b, { attributes: true, attributeFilter: ['disabled'] });
      });
      await page.dblclick('#check-form button[type=submit]');
      await page.waitForSelector('#answer-title', { timeout: 30_000 });
      await page.waitForSelector('#check-form button[type=submit]:not([disabled])');
      expect(await page.evaluate(() => (window as unknown as { disabledSeen: boolean[] }).disabledSeen)).toEqual([true, false]);
      expect(requests).toHaveLength(1);
      expect(auths).toEqual(['demo@demo.test']);
      expect(await text(page, '#answer-title')).toMatch(/^Sending works/);
      await expectClean(page, errors, 'scripted-1280');
      await context.close();
    } finally {
      await smtp.close();
    }
  });

  it('the Domain and Explain tabs (keyboard, pasted text and an uploaded .eml)', async () => {
    const { context, page, errors } = await openPage(browser, ui.url);
    await page.focus('#tab-check');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-domain');
    expect(await page.isVisible('#domain')).toBe(true);
    await page.fill('#domain', 'example.test');
    await page.press('#domain', 'Enter');
    await page.waitForSelector('#answer-title', { timeout: 45_000 });
    expect(await text(page, '#answer-title')).toMatch(/domain|Receivers/);
    expect(await text(page, '.checked')).toContain('example.test');
    expect(await nodeClass(page, 'recipient')).toMatch(/ ok| warning| failed/);
    await page.screenshot({ path: screenshotPath('domain-1280') });
    await page.keyboard.press('Shift+Tab');
    await page.click('#tab-explain');
    await page.fill('#explain-text', '535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials');
    await page.click('#explain-form button[type=submit]');
    await expect.poll(() => text(page, '.answer'), { timeout: 15_000 }).toMatch(/user name or password/i);
    expect(await nodeClass(page, 'server')).toContain('failed');
    // The bounce file's own answer replaces the pasted text's.
    await page.evaluate(() => { document.getElementById('result')!.innerHTML = ''; });
    await page.setInputFiles('#explain-file', resolve(repoRoot, 'test/fixtures/explain/dsn-auth.eml'));
    await page.click('#explain-form button[type=submit]');
    await page.waitForSelector('#answer-title', { timeout: 15_000 });
    expect(await text(page, '#answer-title')).toMatch(/What this message means|Nothing in this text/);
    expect(await text(page, '.answer')).not.toMatch(/user name or password was rejected/i);
    await expectClean(page, errors, 'explain-1280');
    await context.close();
  });

  it('a saved JSON report opens again in the page (replay), in the dark colour scheme on a phone', async () => {
    const { context, page, errors } = await openPage(browser, ui.url, PHONE, 'dark');
    const dave = user('smtp-auth-disabled');
    await checkAddress(page, dave.user, dave.password);
    const verdict = await text(page, '#answer-title');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="json"]')]);
    const file = resolve(tempDir('ui'), 'saved.json');
    await download.saveAs(file);
    await page.reload();
    await page.click('#tab-replay');
    await page.setInputFiles('#replay-file', file);
    await page.click('#replay-form button[type=submit]');
    await page.waitForSelector('#answer-title');
    expect(await text(page, '#answer-title')).toBe(verdict);
    expect(await nodeClass(page, 'server')).toContain('failed');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 27)');
    expect(await horizontalOverflow(page)).toBe(0);
    await expectClean(page, errors, 'replay-dark-390');
    await context.close();
  });
});

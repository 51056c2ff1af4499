// A third set of real texts from public threads and provider pages (test/fixtures/explain/public-threads-3-servers/,
// provenance in its README): the server's side only — provider replies, bounces, MTA log lines — none of them in
// the first two corpora. Each text's first finding must be the root cause a deliverability engineer would name;
// `who` says who must act. Texts still read wrong carry an `open` note and must stay wrong until fixed (then the
// note goes). A recipient-side failure must never give the sender a blocker about their own setup.
import { describe, expect } from 'vitest';
import { labelledSetTests, readLabelledSet, recipientSideTests } from '../helpers/labelled-texts.js';

const ACTORS = ['sender-settings', 'sender-admin', 'sender-provider', 'recipient'];
const CORPUS = readLabelledSet('public-threads-3-servers');

describe('public threads, third set (server replies and bounces)', () => {
  labelledSetTests(CORPUS, { minTexts: 50, checkEach: (r) => expect(ACTORS, `${r.id}: who must act`).toContain(r.who) });
  recipientSideTests(CORPUS.filter((r) => r.who === 'recipient'));
});

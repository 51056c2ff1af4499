// A third set of real error texts from public threads (test/fixtures/explain/public-threads-3-clients/, provenance in
// its README), all from the CLIENT side: mail libraries (nodemailer, smtplib/Django, PHPMailer/Symfony/SwiftMailer,
// JavaMail, .NET/MailKit, Go, Ruby), Mutt/NeoMutt and mail clients' dialogs (Outlook, Thunderbird, iOS Mail). None
// is in the earlier corpora. Each text's first finding must be the root cause a support engineer would name; texts
// still read wrong carry an `open` note saying why and must stay wrong until fixed (then the note goes).
import { describe, expect } from 'vitest';
import { labelledSetTests, readLabelledSet } from '../helpers/labelled-texts.js';

const CORPUS = readLabelledSet('public-threads-3-clients');
const EARLIER = ['public-threads-2', 'real-texts', 'public-threads-3-servers'].flatMap(readLabelledSet);
const earlierSources = new Set(EARLIER.map((r) => r.source));
const earlierTexts = new Set(EARLIER.map((r) => r.text.trim()));

describe('public threads, third set (client and library texts)', () => {
  // None from the other sets: a text counted twice would inflate what the sets say about real-world reading.
  labelledSetTests(CORPUS, {
    minTexts: 50,
    checkEach: (r) => {
      expect(earlierSources.has(r.source), `${r.id}: source already in another set`).toBe(false);
      expect(earlierTexts.has(r.text.trim()), `${r.id}: text already in another set`).toBe(false);
    },
  });
});

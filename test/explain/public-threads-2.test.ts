// A second set of real error texts from public threads and provider pages (test/fixtures/explain/public-threads-2/,
// provenance in its README), none of them in the first corpus: each text's first finding must be the root cause a
// support engineer would name. Texts still read wrong carry an `open` note saying why; they must stay wrong until
// fixed (then the note goes), so the list of open texts cannot silently grow or go stale. A recipient-side failure
// (full mailbox, unknown user) must never read as the sender's setup being broken.
import { describe } from 'vitest';
import { labelledSetTests, readLabelledSet, recipientSideTests } from '../helpers/labelled-texts.js';

const CORPUS = readLabelledSet('public-threads-2');

describe('public threads, second set', () => {
  labelledSetTests(CORPUS, { minTexts: 60 });
  recipientSideTests(CORPUS);
});

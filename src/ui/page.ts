// The page's HTML shell: four tabs (check, domain, explain, open a report), the drawn path, and the slot the
// answer goes into. All text comes from the strings table; the script (assets/web/app.js) adds the behaviour.
import { PATH_NODES } from './path.js';
import { clientStrings, STRINGS, type Strings } from './strings.js';
import { esc } from './answer.js';

/** A JSON data block the script reads; `<` is escaped so no text can close the element. */
function jsonBlock(id: string, value: unknown): string {
  return `<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

function field(name: string, label: string, attrs: string, hint?: string): string {
  const hintId = hint ? ` aria-describedby="${name}-hint"` : '';
  return `<div class="field"><label for="${name}">${esc(label)}</label><input id="${name}" name="${name}" ${attrs}${hintId}>${hint ? `<small id="${name}-hint" class="hint">${esc(hint)}</small>` : ''}</div>`;
}

/** An advanced field with a line saying where its pre-filled value came from. */
function sourced(name: string, label: string, attrs: string): string {
  return `<div class="field"><label for="${name}">${esc(label)}</label><input id="${name}" name="${name}" ${attrs} aria-describedby="${name}-source"><small id="${name}-source" class="source"></small></div>`;
}

function checkForm(s: Strings): string {
  const c = s.check;
  return `<form id="check-form" class="run-form" data-kind="check" novalidate>
<fieldset><legend>${esc(c.legend)}</legend>
${field('email', c.email, 'type="email" autocomplete="email" inputmode="email" spellcheck="false" required placeholder="you@example.com"')}
${field('password', c.password, 'type="password" autocomplete="current-password"', c.passwordHint)}
</fieldset>
<details id="advanced" class="advanced"><summary>${esc(c.advanced)}</summary>
<p id="discovery-status" class="hint" role="status"></p>
${sourced('host', c.host, 'autocomplete="off" spellcheck="false" placeholder="smtp.example.com"')}
<div class="row">
${sourced('port', c.port, 'inputmode="numeric" autocomplete="off" size="5" placeholder="587"')}
<div class="field"><label for="security">${esc(c.security)}</label><select id="security" name="security" aria-describedby="security-source"><option value="">${esc(c.securityAuto)}</option><option value="implicit-tls">SSL/TLS</option><option value="starttls">STARTTLS</option><option value="none">${esc(s.answer.securityNames.none!)}</option></select><small id="security-source" class="source"></small></div>
</div>
${field('user', c.user, 'autocomplete="username" spellcheck="false"', c.userHint)}
${field('timeout', c.timeout, 'inputmode="decimal" size="4" placeholder="5"')}
<div class="field check"><input type="checkbox" id="roundtrip" name="roundtrip" aria-describedby="roundtrip-hint"><label for="roundtrip">${esc(c.roundtrip)}</label><small id="roundtrip-hint" class="hint">${esc(c.roundtripHint)}</small></div>
${sourced('imap', c.imap, 'autocomplete="off" spellcheck="false" placeholder="imap.example.com:993"')}
${field('wait', c.wait, 'inputmode="numeric" size="4" placeholder="120"')}
</details>
<p class="form-error" role="alert" id="check-error"></p>
<button type="submit">${esc(c.submit)}</button>
</form>`;
}

function domainForm(s: Strings): string {
  return `<form id="domain-form" class="run-form" data-kind="domain" novalidate>
<fieldset><legend>${esc(s.domain.legend)}</legend>
${field('domain', s.domain.domain, 'autocomplete="off" spellcheck="false" required placeholder="example.com"', s.domain.hint)}
</fieldset>
<p class="form-error" role="alert" id="domain-error"></p>
<button type="submit">${esc(s.domain.submit)}</button>
</form>`;
}

function explainForm(s: Strings): string {
  return `<form id="explain-form" class="run-form" data-kind="explain" novalidate>
<fieldset><legend>${esc(s.explain.legend)}</legend>
<div class="field"><label for="explain-text">${esc(s.explain.text)}</label><textarea id="explain-text" name="text" rows="6" spellcheck="false"></textarea></div>
<div class="field"><label for="explain-file">${esc(s.explain.file)}</label><input type="file" id="explain-file" name="file" accept=".eml,.txt,.log,message/rfc822,text/plain"></div>
</fieldset>
<p class="form-error" role="alert" id="explain-error"></p>
<button type="submit">${esc(s.explain.submit)}</button>
</form>`;
}

function replayForm(s: Strings): string {
  return `<form id="replay-form" class="run-form" data-kind="replay" novalidate>
<fieldset><legend>${esc(s.replay.legend)}</legend>
<div class="field"><label for="replay-file">${esc(s.replay.file)}</label><input type="file" id="replay-file" name="file" accept=".json,application/json" aria-describedby="replay-hint" required><small id="replay-hint" class="hint">${esc(s.replay.hint)}</small></div>
</fieldset>
<p class="form-error" role="alert" id="replay-error"></p>
<button type="submit">${esc(s.replay.submit)}</button>
</form>`;
}

function pathPicture(s: Strings): string {
  const items = PATH_NODES.map((n) => `<li class="node idle" data-node="${n}"><span class="dot" aria-hidden="true"></span><span class="name">${esc(s.path.nodes[n])}</span><span class="state">${esc(s.path.states.idle)}</span></li>`).join('');
  return `<section class="path-box" aria-labelledby="path-title"><h2 id="path-title" class="small-title">${esc(s.path.label)}</h2><ol class="path" id="path">${items}</ol>
<p id="progress" class="progress" role="status" aria-live="polite"></p></section>`;
}

export function renderPage(s: Strings = STRINGS): string {
  const tabs = (['check', 'domain', 'explain', 'replay'] as const)
    .map((t, i) => `<button type="button" role="tab" id="tab-${t}" aria-controls="panel-${t}" aria-selected="${i === 0}"${i ? ' tabindex="-1"' : ''}>${esc(s.tabs[t])}</button>`)
    .join('');
  const panel = (t: string, body: string, first = false) => `<div role="tabpanel" id="panel-${t}" aria-labelledby="tab-${t}"${first ? '' : ' hidden'}>${body}</div>`;
  return `<!doctype html>
<html lang="${esc(s.lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(s.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head><body>
<header><h1>${esc(s.title)}</h1><p class="tagline">${esc(s.tagline)}</p></header>
<main>
<noscript><p class="form-error">${esc(s.noscript)}</p></noscript>
<div class="inputs">
<div role="tablist" aria-label="${esc(s.title)}" class="tabs">${tabs}</div>
${panel('check', checkForm(s), true)}${panel('domain', domainForm(s))}${panel('explain', explainForm(s))}${panel('replay', replayForm(s))}
</div>
<div class="outputs">
${pathPicture(s)}
<div id="result"></div>
</div>
</main>
<footer><p>${esc(s.footer)}</p></footer>
${jsonBlock('strings', clientStrings(s))}
</body></html>
`;
}

// sendcheck serve: the page's behaviour. Everything it shows comes from the server (rendered and escaped there) or
// from the strings table in the page; this script only sends forms, follows progress and sets states.
'use strict';
(() => {
  const S = JSON.parse(document.getElementById('strings').textContent);
  const $ = (id) => document.getElementById(id);
  const result = $('result');
  const progress = $('progress');
  let current = null;
  let busy = false;

  // ---- tabs (WAI-ARIA tabs pattern: arrows, Home, End)
  const tabs = [...document.querySelectorAll('[role=tab]')];
  function select(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
  }
  for (const t of tabs) {
    t.addEventListener('click', () => select(t, false));
    t.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(t);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
  }

  // ---- the drawn path
  function setNode(node, state) {
    const li = document.querySelector('.node[data-node="' + node + '"]');
    if (!li) return;
    li.className = 'node ' + state;
    li.querySelector('.state').textContent = S.states[state] || state;
  }
  function resetPath(state) {
    for (const li of document.querySelectorAll('.node')) setNode(li.dataset.node, state);
  }
  function showPath(states) {
    for (const [node, state] of Object.entries(states)) setNode(node, state);
  }

  // ---- results
  function showResult(r) {
    current = r;
    result.innerHTML = r.html;
    showPath(r.path);
    progress.textContent = '';
    // The picture of the path and the answer below it come into view together; the answer's heading gets the focus
    // (a screen reader reads the verdict first).
    const h = $('answer-title');
    if (h) {
      h.focus({ preventScroll: true });
      document.querySelector('.path-box').scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    }
  }
  function showError(form, message) {
    const p = form.querySelector('.form-error');
    p.textContent = message;
  }
  result.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b || !current) return;
    if (b.dataset.download) {
      const isJson = b.dataset.download === 'json';
      const blob = new Blob([isJson ? current.json : current.reportHtml], { type: isJson ? 'application/json' : 'text/html' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = current.name + (isJson ? '.json' : '.html');
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    } else if (b.dataset.copy) {
      const dl = $(b.dataset.copy);
      const text = [...dl.querySelectorAll('div')].map((d) => d.querySelector('dt').textContent + ': ' + d.querySelector('dd').textContent).join('\n');
      const done = () => { b.nextElementSibling.textContent = S.copied; };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, () => fallbackCopy(dl, done));
      else fallbackCopy(dl, done);
    }
  });
  function fallbackCopy(el, done) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    if (document.execCommand && document.execCommand('copy')) done();
  }

  // ---- talking to the server
  async function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  async function errorOf(res) {
    try {
      const j = await res.json();
      return (j.error && j.error.message) || S.errors.internal;
    } catch {
      return S.errors.internal;
    }
  }
  function lock(form, on) {
    busy = on;
    const b = form.querySelector('button[type=submit]');
    b.disabled = on;
    b.textContent = on ? S.running : S.submit[form.dataset.kind];
    form.setAttribute('aria-busy', String(on));
  }

  /** Reads the check's stream of JSON lines: progress steps, then the result (or an error). */
  async function follow(res, form) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    let ended = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buf += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        const m = JSON.parse(line);
        if (m.type === 'progress') {
          for (const s of m.steps || []) setNode(s.node, s.state);
          if (m.text) progress.textContent = m.text;
        } else if (m.type === 'result') {
          ended = true;
          showResult(m);
        } else if (m.type === 'error') {
          ended = true;
          resetPath('idle');
          showError(form, m.error.message);
        }
      }
      if (done) break;
    }
    if (!ended) showError(form, S.errors.network);
  }

  async function run(form, path, body, streamed) {
    if (busy) return;
    lock(form, true);
    showError(form, '');
    try {
      if (streamed) {
        resetPath('idle');
        result.innerHTML = '';
      }
      const res = await post(path, body);
      if (!res.ok) {
        showError(form, await errorOf(res));
        if (streamed) resetPath('idle');
        return;
      }
      if (streamed) await follow(res, form);
      else showResult(await res.json());
    } catch {
      showError(form, S.errors.network);
    } finally {
      lock(form, false);
    }
  }

  // ---- check: an address first, the rest filled in from discovery
  const check = $('check-form');
  const advanced = ['host', 'port', 'security', 'imap'];
  for (const name of advanced) $(name).addEventListener('input', () => { $(name).dataset.edited = '1'; $(name + '-source').textContent = ''; });
  let discoveredFor = '';
  async function discover() {
    const email = $('email').value.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || email === discoveredFor) return;
    discoveredFor = email;
    const status = $('discovery-status');
    status.textContent = S.discovering;
    try {
      const res = await post('/api/discover', { email });
      if (!res.ok) {
        status.textContent = await errorOf(res);
        return;
      }
      const d = await res.json();
      if (email !== $('email').value.trim()) return;
      status.textContent = (d.submission ? S.discovered : S.notDiscovered).replace('{domain}', d.domain);
      const fillField = (name, value, c, same) => {
        const el = $(name);
        if (el.dataset.edited) return;
        el.value = value;
        $(name + '-source').textContent = !c ? '' : same ? S.sameSource : S.from.replace('{source}', (S.source[c.source] || c.source) + ': ' + c.detail);
      };
      const s = d.submission;
      fillField('host', s ? s.host : '', s);
      fillField('port', s ? String(s.port) : '', s, true);
      fillField('security', s ? s.security : '', s, true);
      fillField('imap', d.imap ? d.imap.host + ':' + d.imap.port : '', d.imap);
    } catch {
      status.textContent = '';
      discoveredFor = '';
    }
  }
  $('email').addEventListener('change', discover);
  $('advanced').addEventListener('toggle', discover);

  check.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (name) => $(name).value.trim();
    if (!v('email')) {
      showError(check, S.errors.emailNeeded);
      $('email').focus();
      return;
    }
    const body = { email: v('email'), password: $('password').value, user: v('user'), timeout: v('timeout') };
    // Values filled in from discovery are what the check discovers by itself: only the user's own edits are sent.
    for (const name of advanced) if ($(name).dataset.edited && v(name)) body[name] = v(name);
    if ($('roundtrip').checked) {
      body.roundtrip = true;
      body.wait = v('wait');
    }
    run(check, '/api/check', body, true);
  });

  // ---- domain, explain, open a report
  $('domain-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) return;
    // A domain audit is about the recipient's end of the path: it lights up while DNS is asked.
    resetPath('not-tested');
    setNode('recipient', 'active');
    progress.textContent = S.domainRunning;
    run(e.target, '/api/domain', { domain: $('domain').value.trim() }, false);
  });
  async function fileText(form, input, limitKb) {
    const f = input.files && input.files[0];
    if (!f) return undefined;
    if (f.size > limitKb * 1024) {
      showError(form, S.errors.fileTooLarge.replace('{limit}', String(limitKb)));
      return null;
    }
    try {
      return await f.text();
    } catch {
      showError(form, S.errors.readFile);
      return null;
    }
  }
  $('explain-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target;
    const fromFile = await fileText(form, $('explain-file'), 2048);
    if (fromFile === null) return;
    resetPath('idle');
    run(form, '/api/explain', { text: fromFile !== undefined ? fromFile : $('explain-text').value }, false);
  });
  $('replay-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target;
    const text = await fileText(form, $('replay-file'), 2048);
    if (text === null) return;
    if (text === undefined) {
      showError(form, S.errors.readFile);
      return;
    }
    resetPath('idle');
    run(form, '/api/replay', { report: text }, false);
  });
})();

// Maps an SMTP reply (code, enhanced code, text) to a finding code, for a given step of the conversation.
// Shared by the live rules (auth, envelope, greeting) and by `sendcheck explain`, so the same reply always
// gives the same finding. Provider texts from data/provider-errors.json are tried first (most specific),
// then the generic RFC 5321 / RFC 3463 meaning.
import { loadDataTable } from '../data.js';
import { rawForRules } from '../net/redact.js';

/** `bounce`: a remote server's verdict quoted in a bounce (DSN) or a log, as `sendcheck explain` reads it. */
export type ReplyContext = 'greeting' | 'auth' | 'mail' | 'rcpt' | 'data' | 'any' | 'bounce';

export interface ProviderErrorEntry {
  id: string;
  provider: string;
  match: { code?: number; enhanced?: string; text?: string; regex?: string };
  finding: string;
  meaning: string;
  fix?: string[];
  source: string;
}

export interface ReplyClassification {
  code: string;
  /** The provider table entry that matched, if one did. */
  entry?: ProviderErrorEntry;
  confidence: 'certain' | 'likely' | 'possible';
  /** Whether the words of the reply decided (text) or only its codes (code). */
  basis?: 'text' | 'code';
}

export interface ReplyLike {
  code?: number;
  enhanced?: string;
  text: string;
}

let compiled: { entry: ProviderErrorEntry; re?: RegExp }[] | undefined;
function providerTable() {
  if (!compiled) {
    const all = loadDataTable<ProviderErrorEntry>('provider-errors.json').map((entry) => ({
      entry,
      re: entry.match.regex ? new RegExp(entry.match.regex, 'i') : undefined,
    }));
    const specific = (e: (typeof all)[number]) => !!(e.entry.match.text || e.re);
    compiled = [...all.filter(specific), ...all.filter((e) => !specific(e))];
  }
  return compiled;
}

/** Entries with a text or pattern are tried before bare-code entries: Gmail's 534 5.7.9 means "app password
 * required" while RFC 4954's 534 5.7.9 means "mechanism too weak". */
/** Words by which a reply names its provider (host names in Gmail's "gsmtp", Microsoft's protection.outlook.com).
 * Enhanced codes x.7.500-x.7.599 are Microsoft's own (RFC 3463 and the IANA registry stop far below), and Yahoo's
 * bracketed codes ([TSS04], (#AUTH005)) are Yahoo's, so they name the provider in a reply quoted without its host. */
const PROVIDER_MARKERS: Record<string, RegExp> = {
  gmail: /google|gmail|gsmtp/i,
  microsoft365: /outlook|microsoft|office ?365|hotmail|exchange online|STOREDRV|exchangelabs|\b[45]\.7\.5\d\d\b|\bAS\(\d{6,}\)/i,
  'outlook-com': /outlook|microsoft|hotmail|live\.com|\b(?:AS|S)3(?:140|150)\b|\bOU-00[12]\b|\b[45]\.7\.5\d\d\b/i,
  yahoo: /yahoo|aol|\[(?:TSS|TS|IPTS|BL)\d\d\]|\b4\.16\.5\d\.\d\b|\(#AUTH\d{3}\)/i,
  icloud: /icloud|apple|me\.com/i,
  zoho: /zoho/i,
  comcast: /comcast|xfinity/i,
  'gmx-de': /gmx|web\.de/i,
  ionos: /ionos|1and1|kundenserver/i,
  yandex: /yandex/i,
  mailru: /mail\.ru/i,
};

/**
 * A provider's entry applies only when we know the server belongs to that provider (`provider`, from the host)
 * or the reply names it: iCloud's "535 5.7.8 authentication failed" means "use an app password" at iCloud,
 * but only "wrong password" at Postfix. Entries of provider "generic" always apply.
 */
function providerApplies(entryProvider: string, text: string, provider?: string): boolean {
  if (entryProvider === 'generic') return true;
  if (provider && (provider === entryProvider || provider.startsWith(entryProvider) || entryProvider.startsWith(provider))) return true;
  return PROVIDER_MARKERS[entryProvider]?.test(text) ?? false;
}

/** The provider table id of a submission host, if the host is one of a known provider's. */
export function providerIdForHost(host: string): string | undefined {
  const h = host.toLowerCase();
  return loadDataTable<{ id: string; submission: { host: string }[] }>('providers.json').find((p) => p.submission.some((s) => s.host.toLowerCase() === h))?.id;
}

export function matchProviderError(reply: ReplyLike, provider?: string, kind: 'text' | 'code' | 'any' = 'any'): ProviderErrorEntry | undefined {
  const text = reply.text.toLowerCase();
  for (const { entry, re } of providerTable()) {
    const byText = !!(entry.match.text || re);
    if ((kind === 'text' && !byText) || (kind === 'code' && byText)) continue;
    if (!providerApplies(entry.provider, reply.text, provider)) continue;
    const m = entry.match;
    if (m.code !== undefined && reply.code !== undefined && m.code !== reply.code) continue;
    if (m.enhanced && reply.enhanced !== m.enhanced && !text.includes(m.enhanced)) continue;
    if (m.text && !text.includes(m.text.toLowerCase())) continue;
    if (re && !re.test(reply.text)) continue;
    if (!m.text && !re && !m.enhanced) continue;
    return entry;
  }
  return undefined;
}

const RX = {
  starttlsFirst: /must issue a starttls|starttls (command )?(is )?required|encryption required|tls required|use starttls/i,
  authRequired: /auth(entication)? (is )?required|not authenticated|authentication needed|5\.7\.57|client was not authenticated|sender address must be authenticated|not logged in|must (check|read) (your )?mail before sending|pop[- ]before[- ]smtp|authenticate first|please authenticate/i,
  credentials: /authentication (failed|unsuccessful)|invalid credentials|username and password not accepted|bad username|incorrect authentication|login (failed|denied)|invalid login/i,
  relay: /relay(ing)? (access )?(denied|not permitted|disallowed|prohibited)|not (?:permitted|allowed|authori[sz]ed) to relay|unable to relay|relay not permitted|we do not relay|no relaying|\brcpthosts\b|allowed to be relayed/i,
  greylist: /gr[ae]y ?list|greylisted|try again later.*(grey|gray)/i,
  rate: /rate ?limit|too many (messages|recipients|mails|emails)|thread limit|too many concurrent|sending limit|message limit|quota exceeded|exceeded .*(limit|quota)|daily (user )?sending quota|too much mail|throttl/i,
  blocked: /block(ed|list)|blacklist|\bbloqu[ée]e?s?\b|gesperrt|bloccat[oai]|bloquead[oa]s?|geblokkeerd|spamhaus|barracuda|spamcop|sorbs|client host .*(rejected|blocked)|dnsbl|rbl|listed|poor reputation|banned/i,
  tooManyAuth: /too many (failed |bad )?(auth|login|authentication)|too many attempts|account (is )?(temporarily )?locked|lock(ed)? out|login attempts/i,
  // QQ Mail and 163/NetEase call the app password an "authorization code" (授权码): "Please enter your authorization code to login".
  appPassword: /application-specific password|app(lication)? password|authori[sz]ation code to log ?in|use (?:the |your )?authori[sz]ation code/i,
  webLogin: /web ?browser|weblogin|log ?in via your web|please log in/i,
  smtpAuthDisabled: /5\.7\.139|smtpclientauthentication is disabled|smtp auth(entication)? (is )?disabled|basic authentication is disabled/i,
  oauth: /oauth|modern authentication|basic authentication is not supported|basic auth(entication)? (is )?not (allowed|supported)/i,
  authOff: /authentication not enabled|auth(entication)? (is )?not (available|supported|offered) on this (server|port)|AUTH command not (available|implemented)/i,
  mailboxFull: /mailbox (is )?full|over ?quota|quota exceeded.*(mailbox|user)|5\.2\.2|4\.2\.2/i,
  spam: /spam|content rejected|message (content )?rejected|looks like spam|likely unsolicited|unsolicited (bulk )?(mail|e-?mail|message)/i,
  spf: /\bspf\b/i,
  dkim: /\bdkim\b/i,
  dmarc: /\bdmarc\b|5\.7\.26/i,
  ptr: /reverse (dns|lookup)|ptr record|cannot find your hostname|cannot find your reverse hostname|5\.7\.25|rdns/i,
};

/**
 * Returns the finding a reply means at `ctx`, or undefined for a success. Order, most specific first:
 * provider entries that match on text, then generic text patterns, then entries that match on codes only
 * (RFC 4954 / RFC 3463 meanings), then the reply code's generic meaning.
 */
export function classifyReply(scrubbed: ReplyLike, ctx: ReplyContext, provider?: string): ReplyClassification | undefined {
  // The server's own words, even where they matched the password (src/net/redact.ts); only the finding's code
  // comes out of here, never the text.
  const reply = rawForRules(scrubbed);
  const code = reply.code ?? 0;
  if (code >= 200 && code < 400) return undefined;
  const structural = classifyByStructure(reply);
  if (structural) return { ...structural, basis: 'text' };
  const textEntry = matchProviderError(reply, provider, 'text');
  if (textEntry) return { code: textEntry.finding, entry: textEntry, confidence: 'certain', basis: 'text' };
  const byText = (ctx === 'bounce' ? classifyDeliveryText(reply) : undefined) ?? classifyByText(reply, ctx) ?? (ctx === 'bounce' ? classifyDeliveryText(reply, true) : undefined);
  if (byText) return { ...byText, basis: 'text' };
  const codeEntry = matchProviderError(reply, provider, 'code');
  if (codeEntry) return { code: codeEntry.finding, entry: codeEntry, confidence: 'likely', basis: 'code' };
  const byCode = (ctx === 'bounce' ? classifyDeliveryCode(reply) : undefined) ?? classifyByCode(reply, ctx);
  return byCode ? { ...byCode, basis: 'code' } : undefined;
}

/**
 * Replies whose meaning is fixed by a marker that no other cause shares, tried before any word of the reply: a
 * blocklist's "query refused" answer quoted in a rejection (the receiver's DNS, not the sender, is the problem),
 * a refusal that names the EHLO step, a send-as refusal or an unverifiable sender, a sending quota or concurrency
 * limit (not a full mailbox), a temporary 4.7.1 "try again later" (greylisting, not a policy). Words like "quota", "spam" or "policy" elsewhere
 * in such a reply must not decide.
 */
const STRUCTURE_RX: [RegExp, string, 'certain' | 'likely'][] = [
  [/open resolver|spamhaus\.org\/returnc\/|\b127\.255\.255\.25[0-5]\b|excessive number of queries|query (was )?refused by|public (dns )?resolver/i, 'reputation.blocklist-refused', 'certain'],
  [/\((?:EHLO|HELO)\)|HELO\/EHLO argument|but my name was rejected|(?:empty|invalid|bad|malformed) (?:HELO|EHLO)\b|Helo command rejected|support\.google\.com\/mail\/\?p=helo/i, 'smtp.ehlo-rejected', 'certain'],
  [/SendAsDenied|permissions? to send as|not allowed to send as|send on behalf of|not owned by (?:auth )?user|not authorized to send as|'Send mail as'/i, 'envelope.sender-rejected', 'certain'],
  // The sender could not be verified: a receiver's callout to the sender's own domain failed (Exim's "Sender verify
  // failed", whose "Unrouteable address" is the sender's), or a sending service knows no verified identity for it.
  [/sender verif(?:y|ication) failed|match a verified sender identity|(?:email|from|sender) address is not verified/i, 'envelope.sender-rejected', 'certain'],
  // The sending side's own account or domain refused by its sending service: a sending domain the account never
  // set up (SparkPost's "Unconfigured Sending Domain", Mailgun's "Domain … is not allowed to send"), a sender
  // address the provider blocked from sending (Zoho's and Microsoft's x.1.8), an account it suspended ("Your
  // account has been suspended"). The words "blocked" or "suspended" here are the sender's, not an IP's or a
  // recipient mailbox's.
  [/(?:unconfigured|unverified|unregistered) sending domain|sending domain (?:is )?not (?:configured|verified|registered)|\b(?:domain|account|sender) \S+ is not allowed to send\b|\bsender (?:address )?(?:is )?blocked\b|\byour (?:account|domain|sending (?:account|domain)) (?:has been|is|was) (?:temporarily )?(?:suspended|disabled|deactivated|banned|blocked)|sending (?:is )?paused for (?:this|your) account/i, 'envelope.sender-rejected', 'certain'],
  // RFC 4954's 454 4.7.0 "Temporary authentication failure" (Gmail: "Cannot authenticate due to temporary system
  // problem"), or Dovecot's auth service gone from under Postfix ("Connection lost to authentication server", even
  // under a 535): the server's authentication backend failed for now; the credentials were not judged.
  [/temporary authentication failure|cannot authenticate due to (?:a )?temporary|connection lost to auth(?:entication)? server/i, 'auth.temporary-failure', 'certain'],
  [/sending (?:quota|limit)|daily (?:user )?sending|throttling failure|daily message quota|maximum sending rate|submission ?quota|thread limit exceeded|queue quota|too many concurrent|concurrent connections? limit|\b[45]\.4\.5 daily|\bdaily limit for (?:message )?recipients|\b(?:messages|recipients|e-?mails) per (?:day|hour)\b|\bmax(?:imum)? (?:defers and failures|deferrals?) per (?:hour|day)\b|unusual rate of unsolicited|limit on the number of (?:allowed )?(?:outgoing )?(?:messages|recipients|e-?mails)/i, 'envelope.rate-limited', 'certain'],
  [/TLS (?:handshake|negotiation) failed|STARTTLS (?:negotiation )?failed|SSL_accept error/i, 'tls.handshake-failed', 'likely'],
  [/TLS 1\.0 and 1\.1 are not supported|(?:TLS|SSL) ?v?1\.[01] (?:is |are )?(?:not|no longer) supported|support TLS 1\.[23]\b/i, 'tls.protocol-version-mismatch', 'certain'],
  [/TLS not available|STARTTLS (?:is )?(?:temporarily )?(?:not available|unavailable)/i, 'tls.starttls-refused', 'likely'],
];

function classifyByStructure(reply: ReplyLike): ReplyClassification | undefined {
  for (const [re, code, confidence] of STRUCTURE_RX) if (re.test(reply.text)) return { code, confidence };
  const failedCheck = namedAuthFailure(reply.text);
  if (failedCheck) return { code: failedCheck, confidence: 'likely' };
  // A temporary 4.7.1 / 450 / 451 that only asks to come back later is greylisting, not a policy refusal.
  const enh = enhancedOf(reply);
  const temporary = (reply.code !== undefined && reply.code >= 450 && reply.code <= 451) || enh === '4.7.1';
  if (temporary && (enh === undefined || enh === '4.7.1' || enh.startsWith('4.2.')) && /try (?:again )?later|come back later|please retry|temporarily (?:rejected|deferred)/i.test(reply.text)) {
    return { code: 'envelope.greylisted', confidence: 'likely' };
  }
  return undefined;
}

/** A rejection that lists the receiver's checks one by one (Microsoft's "Spf=Pass, Dkim=Fail, DMARC=Pass", Gmail's and
 * Yahoo's "Authentication results: DKIM = did not pass, SPF [domain] with ip: [ip] = did not pass") or says which
 * one did not pass (Gmail's "fails to pass SPF checks", "DKIM checks did not pass"): the failed check is the cause to
 * fix, not the "unauthenticated" or DMARC words around it (DMARC fails because SPF or DKIM did). */
const AUTH_RESULT_RX =
  /\b(spf|dkim|dmarc)\b(?:\s*\[[^\]]*\]|\s+(?!with\b)[^\s=:]+)?(?:\s+with ip:?\s*\[?[0-9a-f.:]+\]?)?\s*[=:]\s*(?:[245]\d\d[- ][245]\.\d\.\d+\s+)?(did not pass|pass|fail(?:ure|ed)?|softfail|hardfail|permerror|temperror|none|neutral)\b/gi;
const AUTH_CHECK_FAILED_RX: Record<'spf' | 'dkim', RegExp> = {
  spf: /fails? to pass spf|\bspf (?:checks?|validation|verification)\b[^;]{0,60}?\b(?:did|does|do) ?n[o']t pass|\bspf (?:checks?|validation|verification) failed/i,
  dkim: /fails? to pass dkim|\bdkim (?:checks?|signatures?|verification)\b[^;]{0,60}?\b(?:did|does|do) ?n[o']t pass|\bdkim (?:checks?|signature|verification) failed/i,
};

function namedAuthFailure(text: string): string | undefined {
  const failed = new Set<string>();
  for (const [, check, result] of text.matchAll(AUTH_RESULT_RX)) if (/fail|permerror|not pass/i.test(result!)) failed.add(check!.toLowerCase());
  for (const check of ['spf', 'dkim'] as const) if (AUTH_CHECK_FAILED_RX[check].test(text)) failed.add(check);
  const spf = failed.has('spf');
  const dkim = failed.has('dkim');
  if (spf !== dkim) return spf ? 'dns.spf-fail' : 'dns.dkim-fail';
  if (spf && dkim) return failed.has('dmarc') ? 'dns.dmarc-fail' : 'dns.spf-fail';
  return failed.has('dmarc') ? 'dns.dmarc-fail' : undefined;
}

/** Words that only a bounce (a receiving server's final verdict) carries: tried before the generic patterns. */
const DELIVERY_RX_FIRST: [RegExp, string][] = [
  [/\bmessage expired\b/i, 'delivery.expired'],
  [/duplicate header|multiple \S+ headers|not rfc ?5322 compliant|multiple addresses in from/i, 'envelope.policy-rejected'],
  [/virus|malware|infected|trojan|malicious (content|attachment)/i, 'delivery.virus-detected'],
  [/mailbox (is )?full|over ?quota|quota (exceeded|full)|exceed(s|ed)? (the |his |her |its )?(storage|quota|mailbox)|mailbox (size )?exceeds|mailbox size limit|disk quota|mailbox is full|(is|are) over (the )?(quota|limit)|mail ?(box|folder).{0,30}\bfull\b|storage (full|limit)|insufficient (storage|space) in mailbox|5\.2\.2\b/i, 'envelope.mailbox-full'],
  [/message (is )?(too (large|big)|size exceeds|length exceeds)|message file too big|max(imum)? message size|message size exceeded|exceeds? (the )?(fixed )?(maximum )?(message )?size|size limit|message too large|larger than (the )?(current )?(system )?limit|recipsizelimit/i, 'delivery.message-too-large'],
  [/routing loop|too many hops|hop count|mail (for \S+ )?loops? back|loop(s)? detected|mail loop/i, 'delivery.network-error'],
  [/does ?n[o']t (accept|receive) (e-?)?mail|accepts? no mail|null mx|does not accept mail|no mx (record )?(for|found)|couldn't find a mail exchanger|indicated no smtp service/i, 'delivery.not-accepting-mail'],
  [/host or domain name not found/i, 'delivery.host-unknown'],
  [/name service error|dns error|host ?name lookup fail|lookup of \S+ (failed|responded)|dns query failed|malformed or unexpected name server/i, 'delivery.network-error'],
  [/host (or domain name )?(not found|unknown)|unknown host|domain (does not exist|not found|name not found|is not reachable)|no such domain|unrout(e)?able (mail )?(domain|address)|nxdomain|invalid domain|illegal host|could not find a gateway/i, 'delivery.host-unknown'],
  [/unauthenticated senders?|authentication required|authrequired|turn on smtp auth/i, 'auth.required'],
  [/spam classification|flagged as spam|classified as spam|detected as spam|likely unsolicited mail/i, 'envelope.message-rejected-spam'],
  [/frequency limit|rate limit|try again slower|too many connections|receiving mail at a rate/i, 'envelope.rate-limited'],
  [/malformed address|incorrectly constructed|syntax error in (address|parameters)|bad address syntax/i, 'delivery.syntax-error'],
  [/system (is )?full|insufficient (disk|system) (space|storage)/i, 'delivery.remote-error'],
  [/message score|spam ?score|scor(e|ing) (\(\d+\) )?over/i, 'envelope.message-rejected-spam'],
  [/\bdmarc\b|5\.7\.26|unauthenticated email|(does not have|fails? to pass|lacks?) authentication|authentication checks failed|sender is unauthenticated/i, 'dns.dmarc-fail'],
  [/\bspf\b|5\.7\.23/i, 'dns.spf-fail'],
  [/\bdkim\b/i, 'dns.dkim-fail'],
  [/spam classification|flagged as spam|classified as spam|detected as spam|looks like spam|blacklisted url|\buribl\b|\bsurbl\b/i, 'envelope.message-rejected-spam'],
  [/content presents a potential/i, 'envelope.policy-rejected'],
  [/ip name lookup failed|reverse dns|\brdns\b|\bptr\b|5\.7\.25|mismatches client ip/i, 'dns.ptr-missing'],
  [/not accepting (connections|mail from)|service refus|invalid ip|messages from \S+ were|(connections?|\bip( address)?|client host) (from \S+ )?(\(\S+\) )?(is |are |has been )?(being )?(not allowed|refused|rejected|denied|blocked)|poor (email )?reputation|my name was rejected|refused to talk to me|not accepted from this ip|banned sender|(?:you are|you're|client is) not allowed to connect/i, 'envelope.ip-blocked'],
  // Mailing lists refuse posts from non-members (Google Groups says so in the sender's language, but always links
  // its help and signs "Google Groups"; fml and Mailman name the list's guide or its members).
  [/may not have permission to post|not allowed to post|groups\.google\.com\/support|^\s*Google Groups\s*$|general guide of this list|only members (can|may) post|you are not a member/im, 'envelope.sender-rejected'],
  [/sender (address |was )?(rejected|denied|refused|verify failed|verification failed)|sender address (is )?not (allowed|permitted)|domain of sender address|purported responsible address|sender domain (must|does)|mail from .{0,40} rejected|address is not verified/i, 'envelope.sender-rejected'],
  [/user unknown|unknown user|no such (user|mailbox|recipient|address)|(recipient|user|mailbox|address|account)( address)? (does not|doesn't|not) exist|(user|recipient|mailbox|address) (not found|unknown|unavailable|invalid)|invalid (recipient|mailbox|address|user)|mailbox unavailable|not our (user|customer)|no longer on server|account (has been |is )?(disabled|suspended|deactivated|inactive|discontinued|closed|locked)|(mailbox|user) (is )?(disabled|inactive|frozen|suspended|temporar(il)?y locked)|unknown (local[- ]part|recipient|address)|not a valid (mailbox|recipient)|no mailbox|not listed in (the )?(public )?(name|domino|directory)|undeliverable address|address (is )?(no longer|not) (valid|active)|user doesn't have an? \S+ account|recipient address rejected: access denied|check if (the )?address is correct|address is possibly incorrect|invalid final delivery userid|no valid recipients|temporar(il)?y locked|disabled recipient|recipient account is blocked|compte du destinataire|email account that you tried to reach/i, 'envelope.recipient-rejected'],
];

/** Weaker bounce words, tried after the generic patterns (spam, blocklists, relay, rate limits). */
const DELIVERY_RX_LAST: [RegExp, string][] = [
  [/(?<!certificate ?(?:has )?|execution |password (?:has )?|token (?:has )?)expired|have been failing for a long time|retry time(out)? (was )?(exceeded|reached)|could not be delivered (for|within)|could not deliver for|unable to deliver (in|within)|has not been delivered|delivery time expired|giving up|too long in (the )?queue|deferred for too long|has been in the queue|retried for \d|will be retried|failed \d+ attempts|timed out|did not accept our requests to connect|not reachable|undeliverable for \d/i, 'delivery.expired'],
  [/no route to host|connection refused|lost connection|network (is )?unreachable|connect to .* failed|network error/i, 'delivery.network-error'],
  [/polic(y|ies)|administrative prohibition|protocol violation|rfc ?(5322|2822|822) compliant|multiple .{0,20}headers?|duplicate header|headers? too large|improper use of 8-bit/i, 'envelope.policy-rejected'],
  [/internal (system |server )?error|system error|transaction failed|service (currently )?unavailable|temporary failure|local (delivery|mailer) (error|failed)|mailer error|not enough disk space|insufficient system storage|pipe to \|/i, 'delivery.remote-error'],
];

function classifyDeliveryText(reply: ReplyLike, late = false): ReplyClassification | undefined {
  for (const [re, code] of late ? DELIVERY_RX_LAST : DELIVERY_RX_FIRST) if (re.test(reply.text)) return { code, confidence: 'likely' };
  return undefined;
}

/** RFC 3463 subject/detail codes of a bounce (the final verdict of a receiving server), then the basic code. */
function classifyDeliveryCode(reply: ReplyLike): ReplyClassification | undefined {
  const enh = enhancedOf(reply);
  const code = reply.code ?? 0;
  if (enh && !/^[245]\.0\.0$/.test(enh)) {
    const [, subj, det] = enh.split('.').map(Number) as [number, number, number];
    const c = (finding: string): ReplyClassification => ({ code: finding, confidence: 'likely' });
    if (subj === 1) {
      if (det === 2) return c('delivery.host-unknown');
      if (det === 10) return c('delivery.not-accepting-mail');
      if (det === 7 || det === 8) return c('envelope.sender-rejected');
      return c('envelope.recipient-rejected');
    }
    if (subj === 2) return c(det === 2 ? 'envelope.mailbox-full' : det === 3 ? 'delivery.message-too-large' : 'envelope.recipient-rejected');
    if (subj === 3) return c(det === 4 ? 'delivery.message-too-large' : 'delivery.remote-error');
    if (subj === 4) return c(det === 7 ? 'delivery.expired' : 'delivery.network-error');
    if (subj === 5) return c(det === 3 ? 'envelope.rate-limited' : 'delivery.syntax-error');
    if (subj === 6) return c('envelope.policy-rejected');
    if (subj === 7) {
      if (det === 23) return c('dns.spf-fail');
      if (det >= 20 && det <= 22) return c('dns.dkim-fail');
      if (det === 25) return c('dns.ptr-missing');
      if (det === 26) return c('dns.dmarc-fail');
      if (det === 27) return c('delivery.not-accepting-mail');
      return c('envelope.policy-rejected');
    }
  }
  if (code === 552) return { code: 'envelope.mailbox-full', confidence: 'possible' };
  if (code === 550 || code === 551 || code === 553) return { code: 'envelope.recipient-rejected', confidence: 'possible' };
  if (code === 554) return { code: 'envelope.policy-rejected', confidence: 'possible' };
  if (code >= 500 && code <= 504) return { code: 'delivery.syntax-error', confidence: 'possible' };
  if (code === 421 || code === 452) return { code: 'envelope.rate-limited', confidence: 'possible' };
  if (code >= 400 && code < 500) return { code: 'delivery.remote-error', confidence: 'possible' };
  return undefined;
}

function enhancedOf(reply: ReplyLike): string | undefined {
  return reply.enhanced ?? /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply.text)?.[1];
}

/** What the reply's words say, whatever the server. */
function classifyByText(reply: ReplyLike, ctx: ReplyContext): ReplyClassification | undefined {
  const code = reply.code ?? 0;
  const text = reply.text;
  if (ctx === 'auth' && (code === 538 || enhancedOf(reply) === '5.7.11')) return { code: 'auth.encryption-required', confidence: 'certain' };
  if (RX.starttlsFirst.test(text)) return { code: 'tls.required', confidence: 'certain' };
  if (ctx === 'auth' || ctx === 'any') {
    if (RX.smtpAuthDisabled.test(text)) return { code: 'auth.smtp-auth-disabled', confidence: 'certain' };
    if (RX.tooManyAuth.test(text)) return { code: 'auth.too-many-attempts', confidence: 'certain' };
    if (RX.appPassword.test(text)) return { code: 'auth.app-password-required', confidence: 'likely' };
    if (RX.webLogin.test(text)) return { code: 'auth.web-login-required', confidence: 'likely' };
    if (RX.oauth.test(text) && code >= 500) return { code: 'auth.oauth-required', confidence: 'likely' };
    if (RX.authOff.test(text)) return { code: 'auth.not-offered', confidence: 'likely' };
    if (RX.credentials.test(text)) return { code: code >= 400 && code < 500 ? 'auth.temporary-failure' : 'auth.credentials-rejected', confidence: 'likely' };
  }
  if (RX.greylist.test(text)) return { code: 'envelope.greylisted', confidence: 'certain' };
  // Postfix's generic words for a recipient restriction's reject (the "reject" after permit_sasl_authenticated and
  // permit_mynetworks): said to a client as it submits (a pasted transcript), it means "log in first"; quoted in a
  // bounce it is a remote server refusing the recipient, and at Exchange Online an unknown recipient (provider entry).
  if (ctx === 'any' && /recipient address rejected: access denied/i.test(text)) return { code: 'envelope.relay-denied', confidence: 'likely' };
  if (ctx !== 'auth' && RX.authRequired.test(text)) return { code: 'auth.required', confidence: 'certain' };
  if (RX.relay.test(text)) return { code: 'envelope.relay-denied', confidence: 'certain' };
  if (RX.rate.test(text)) return { code: 'envelope.rate-limited', confidence: 'certain' };
  if (ctx !== 'auth') {
    if (RX.ptr.test(text)) return { code: ctx === 'greeting' ? 'smtp.greeting-rejected' : 'dns.ptr-missing', confidence: 'likely' };
    if (RX.blocked.test(text)) return { code: ctx === 'greeting' ? 'smtp.greeting-rejected' : 'envelope.ip-blocked', confidence: 'likely' };
    if (ctx === 'greeting') return { code: 'smtp.greeting-rejected', confidence: 'certain' };
    if (RX.dmarc.test(text)) return { code: 'dns.dmarc-fail', confidence: 'likely' };
    if (RX.spf.test(text)) return { code: 'dns.spf-fail', confidence: 'likely' };
    if (RX.dkim.test(text)) return { code: 'dns.dkim-fail', confidence: 'likely' };
    if (RX.mailboxFull.test(text)) return { code: 'envelope.mailbox-full', confidence: 'likely' };
    if (RX.spam.test(text)) return { code: 'envelope.message-rejected-spam', confidence: 'likely' };
  }
  return undefined;
}

/** What the reply code and enhanced status code mean by the RFCs, when the words said nothing we know. */
function classifyByCode(reply: ReplyLike, ctx: ReplyContext): ReplyClassification | undefined {
  const code = reply.code ?? 0;
  const enh = enhancedOf(reply);
  const temporary = code >= 400 && code < 500;
  if (ctx === 'auth' || ctx === 'any') {
    if (code === 534 && enh === '5.7.9') return { code: 'auth.app-password-required', confidence: 'possible' };
    if (code === 534 && enh === '5.7.14') return { code: 'auth.web-login-required', confidence: 'likely' };
    if (code === 538 || enh === '5.7.11') return { code: 'auth.encryption-required', confidence: 'certain' };
    if (code === 504 || enh === '5.5.4' || enh === '5.7.4') return { code: 'auth.mechanism-unsupported', confidence: 'certain' };
    if (code === 535 || enh === '5.7.8') return { code: 'auth.credentials-rejected', confidence: 'certain' };
    if (ctx === 'auth') {
      if (code === 530 && /tls/i.test(reply.text)) return { code: 'tls.required', confidence: 'likely' };
      if (code === 454 || temporary) return { code: 'auth.temporary-failure', confidence: 'likely' };
      if (code === 530) return { code: 'auth.required', confidence: 'likely' };
      return { code: 'auth.credentials-rejected', confidence: 'possible' };
    }
  }
  if (code === 530) return { code: 'auth.required', confidence: 'likely' };
  if (enh === '4.5.3' || enh === '5.5.3' || enh === '4.7.28') return { code: 'envelope.rate-limited', confidence: 'likely' };
  if (ctx === 'greeting') return { code: 'smtp.greeting-rejected', confidence: 'certain' };
  if (temporary && enh?.startsWith('4.7.')) return { code: code === 451 && enh === '4.7.1' ? 'envelope.greylisted' : 'envelope.rate-limited', confidence: 'possible' };
  if (code === 421 || code === 452) return { code: 'envelope.rate-limited', confidence: 'possible' };
  if (temporary && code === 451 && ctx === 'rcpt') return { code: 'envelope.greylisted', confidence: 'possible' };
  if (enh === '5.2.2' || enh === '4.2.2') return { code: 'envelope.mailbox-full', confidence: 'likely' };
  if (ctx === 'mail') return { code: 'envelope.sender-rejected', confidence: 'likely' };
  if (ctx === 'rcpt') {
    if (enh === '5.7.1') return { code: 'envelope.relay-denied', confidence: 'possible' };
    return { code: 'envelope.recipient-rejected', confidence: 'likely' };
  }
  if (enh?.startsWith('5.1.')) return { code: 'envelope.recipient-rejected', confidence: 'possible' };
  if (enh?.startsWith('5.7.')) return { code: 'envelope.policy-rejected', confidence: 'possible' };
  return undefined;
}

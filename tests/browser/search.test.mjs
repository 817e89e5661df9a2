// Browser test of vigil's public web pages (DESIGN.md §7), in Debian's
// Chromium driven by playwright-core: a visitor searches by name and by
// A-number, reads the results, switches to Spanish, looks up a protected
// person and gets the no-result page, and makes a typing mistake. JavaScript
// is off in the visitor's browser, as the pages must work without it. Every
// page visited is checked with axe-core against WCAG 2.1 A and AA (in a
// second, script-enabled context, on the same URL); any violation fails the
// test. Screenshots of the results page go to $TEST_ARTIFACTS_DIR.
//
// Needs $TEST_VIGIL_BINARY (set by CTest) and /usr/bin/chromium (scripts/setup).
// Uses only 127.0.0.1, a temporary directory and a free port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import {
  WCAG_TAGS, auditHtml, axeCheck, axeSource, launchChromium, sleep, startVigil, stopVigil,
} from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const vigil = process.env.TEST_VIGIL_BINARY;
const artifacts = process.env.TEST_ARTIFACTS_DIR ||
  path.join(here, '..', '..', 'build', 'browser-artifacts');

// People in the feed. Accented names, as recorded by the agency.
const MARIA = { a: '210000001', given: 'María José', family: 'Hernández Ávila', country: 'MX' };
const JOSE = { a: '210000002', given: 'José Ángel', family: 'Núñez Peña', country: 'GT' };
const ANA = { a: '210000003', given: 'Ana Lucía', family: 'Ramírez Soto', country: 'HN' };
const PROTECTED = { a: '210000009', given: 'Guadalupe', family: 'Xiloj Tzunún', country: 'GT' };

function feed() {
  const booked = new Date(Date.now() - 3 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const lines = [{
    record: 'facility', facility_id: 'ADL', name: 'Adelanto ICE Processing Center',
    city: 'Adelanto', state: 'CA', phone: '+17605550100',
  }];
  const people = [
    [MARIA, '1988-03-14', 'civil_immigration', []],
    [JOSE, '1979-10-02', 'criminal_charge', []],
    [ANA, '1990-12-30', 'criminal_conviction', []],
    [PROTECTED, '1985-01-10', 'civil_immigration', ['sec1367']],
  ];
  people.forEach(([p, dob, basis, protections], i) => lines.push({
    record: 'custody_event', source: 'browser-test', event_id: `E-${i + 1}`, type: 'booked',
    occurred_at: booked,
    subject: {
      a_number: p.a, given_names: p.given, family_names: p.family, aliases: [],
      date_of_birth: dob, country_of_birth: p.country,
    },
    facility_id: 'ADL', custody_basis: basis, protections,
  }));
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}


let dir;
let db;
let env;
let outbox;
let server;
let serverLog = () => '';  // the server's output so far
let base;
let neutral;        // where "Leave this site" goes: a stand-in on 127.0.0.1
let neutralServer;
let browser;
let visitor;  // JavaScript off: what a visitor without scripts gets
let auditor;  // JavaScript on: runs axe-core on the same URLs
const audited = [];

// Should the test process itself be stopped (a CTest timeout), take the
// server with it.
const killServer = () => { if (server && server.exitCode === null) server.kill('SIGKILL'); };
process.on('exit', killServer);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { killServer(); process.exit(1); });
}

before(async () => {
  assert.ok(vigil, 'TEST_VIGIL_BINARY is not set (run through ctest)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-browser-'));
  db = path.join(dir, 'v.db');
  const feedFile = path.join(dir, 'feed.jsonl');
  fs.writeFileSync(feedFile, feed());
  // About twenty searches come from one address within a minute: above the
  // default limit of 30 only if the test grows, so leave room.
  outbox = path.join(dir, 'outbox');
  // The neutral site the quick exit opens (in production, an ordinary
  // public site; here a local page, so no traffic leaves 127.0.0.1).
  neutralServer = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1></html>');
  });
  await new Promise((r) => neutralServer.listen(0, '127.0.0.1', r));
  neutral = `http://127.0.0.1:${neutralServer.address().port}/`;
  env = {
    ...process.env,
    VIGIL_SECRETS_KEY_FILE: path.join(dir, 'secret.key'),
    VIGIL_LIMITS_SEARCH_PER_MINUTE: '120',
    VIGIL_LIMITS_REGISTRATIONS_PER_HOUR: '6000',
    VIGIL_LIMITS_REGISTRATIONS_PER_CONTACT_PER_DAY: '6000',
    VIGIL_LIMITS_REGISTRATIONS_PER_PERSON_PER_HOUR: '6000',
    VIGIL_WEB_EXIT_URL: neutral,
    // Messages go to files the test reads, as with ./scripts/run.
    VIGIL_NOTIFY_EMAIL: 'file',
    VIGIL_NOTIFY_SMS: 'file',
    VIGIL_NOTIFY_VOICE: 'file',
    VIGIL_FILE_OUTBOX_DIR: outbox,
  };
  execFileSync(vigil, ['secrets', 'init'], { env, stdio: 'pipe' });
  execFileSync(vigil, ['--db', db, '--create', 'import', feedFile], { env, stdio: 'pipe' });

  let log;
  ({ server, base, log } = await startVigil(vigil, db, env));
  serverLog = log;
  env.VIGIL_SERVER_PUBLIC_URL = base;  // links in messages come back here

  browser = await launchChromium();
  visitor = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  auditor = await browser.newContext({ locale: 'en-US' });
  fs.mkdirSync(artifacts, { recursive: true });

  // The audit must be able to fail: axe-core, as loaded and configured here,
  // finds the violations of a page known to have them.
  const canary = await auditor.newPage();
  await canary.setContent('<html><body><input type="text"><a href="/"></a></body></html>');
  await canary.evaluate(axeSource);
  const found = await canary.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG_TAGS);
  await canary.close();
  const ids = found.violations.map((v) => v.id);
  for (const id of ['html-has-lang', 'document-title', 'label', 'link-name']) {
    assert.ok(ids.includes(id), `axe-core did not report ${id} on the canary page: ${ids}`);
  }
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopVigil(server);
  neutralServer?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  console.log(`axe-core ${WCAG_TAGS.join(', ')}: ${audited.length} pages checked`);
  for (const a of audited) console.log(`  ${a.label}: ${a.violations} violations  ${a.url}`);
});

// Runs axe-core on `url` (the page the visitor is on) and fails on any violation.
async function audit(label, url) {
  const page = await auditor.newPage();
  try {
    const response = await page.goto(url);
    assert.ok(response, `no response for ${url}`);
    await axeCheck(page, label, url, audited);
  } finally {
    await page.close();
  }
}

// As audit(), for a page that answered a form post (it cannot be fetched
// again by URL): its HTML as the visitor got it is audited instead.
async function auditAnswer(label, visitorPage) {
  await auditHtml(auditor, await visitorPage.content(), label,
    `(answer to a post) ${visitorPage.url()}`, audited);
}

// Submits one of the two search forms on the current page, as a person would.
async function searchByName(page, person, labels) {
  const form = page.getByRole('region', { name: labels.byName });
  await form.getByLabel(labels.given).fill(person.given);
  await form.getByLabel(labels.family).fill(person.family);
  await form.getByLabel(labels.country).selectOption(person.country);
  await Promise.all([
    page.waitForURL(/\/search\?/),
    form.getByRole('button', { name: labels.byName }).click(),
  ]);
}

async function searchByANumber(page, aNumber, country, labels) {
  const form = page.getByRole('region', { name: labels.byA });
  await form.getByLabel(labels.aNumber).fill(aNumber);
  await form.getByLabel(labels.country).selectOption(country);
  await Promise.all([
    page.waitForURL(/\/search\?/),
    form.getByRole('button', { name: labels.byA }).click(),
  ]);
}

const EN = {
  byName: 'Search by name', byA: 'Search by A-number', given: /^Given name/,
  family: /^Family name/, country: 'Country of birth', aNumber: /^A-number/,
};
const ES = {
  byName: 'Buscar por nombre', byA: 'Buscar por número A', given: /^Nombre o nombres/,
  family: /^Apellido/, country: 'País de nacimiento', aNumber: /^Número A/,
};

test('a visitor finds people, switches language and sees nothing of the protected', {
  timeout: 240e3,
}, async () => {
  const page = await visitor.newPage();
  const fullName = (p) => `${p.given} ${p.family}`;

  // The search page, in English for an English browser.
  let response = await page.goto(`${base}/`);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(response.headers()['content-security-policy'], /default-src 'none'/);
  assert.equal(response.headers()['referrer-policy'], 'no-referrer');
  await page.getByRole('heading', { level: 1, name: 'Find a person in immigration custody' })
    .waitFor();
  assert.ok(await page.getByText('If you are in danger, call 911.').isVisible());
  await audit('home (en)', page.url());

  // By name, typed as on their papers.
  await searchByName(page, MARIA, EN);
  await page.getByRole('heading', { level: 3, name: fullName(MARIA) }).waitFor();
  assert.ok(await page.getByText('Held for a civil immigration matter — not charged with a crime')
    .isVisible());
  assert.ok(await page.getByText('Adelanto ICE Processing Center').isVisible());
  assert.equal(await page.getByRole('link', { name: '(760) 555-0100' }).getAttribute('href'),
    'tel:+17605550100');
  await page.screenshot({ path: path.join(artifacts, 'results-en.png'), fullPage: true });
  await audit('results by name (en)', page.url());

  // The same results in Spanish, through the visible switch, keeping the search.
  await Promise.all([page.waitForURL(/lang=es/), page.getByRole('link', { name: 'Español' }).click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await page.getByRole('heading', { level: 1, name: 'Resultados de la búsqueda' }).waitFor();
  await page.getByRole('heading', { level: 3, name: fullName(MARIA) }).waitFor();
  assert.ok(await page.getByText('Detenido por un asunto migratorio civil — sin cargos penales')
    .isVisible());
  assert.ok(await page.getByText('Si está en peligro, llame al 911.').isVisible());
  await page.screenshot({ path: path.join(artifacts, 'results-es.png'), fullPage: true });
  await audit('results by name (es)', page.url());

  // By A-number, written with dashes, from the Spanish form.
  await searchByANumber(page, 'A-210-000-002', JOSE.country, ES);
  await page.getByRole('heading', { level: 3, name: fullName(JOSE) }).waitFor();
  assert.ok(await page.getByText('Acusado de un delito, sin condena').isVisible());
  await audit('results by A-number (es)', page.url());

  await searchByANumber(page, ANA.a, ANA.country, ES);
  await page.getByRole('heading', { level: 3, name: fullName(ANA) }).waitFor();
  assert.ok(await page.getByText('Condenado por un delito').isVisible());

  // The protected person: the page says no one was found, by name and by A-number.
  const noOne = page.getByRole('region', { name: 'No se encontró a nadie' });
  await searchByName(page, PROTECTED, ES);
  await noOne.waitFor();
  assert.match(await noOne.innerText(), /Nadie coincide con esta búsqueda/);
  assert.doesNotMatch(await noOne.innerText(), /Xiloj|Guadalupe/);
  assert.equal(await page.locator('main').getByRole('listitem').count(), 0);
  await audit('no one found (es)', page.url());
  await searchByANumber(page, PROTECTED.a, PROTECTED.country, ES);
  await noOne.waitFor();
  assert.equal(await page.locator('main').getByRole('listitem').count(), 0);

  await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English' }).click()]);
  await page.getByRole('heading', { level: 2, name: 'No one found' }).waitFor();
  await audit('no one found (en)', page.url());

  // A mistake: the form comes back with the message next to it.
  response = null;
  page.once('response', (r) => { if (r.url().includes('/search?')) response = r; });
  await searchByANumber(page, '12', 'MX', EN);
  assert.equal(response?.status(), 400);
  const alert = page.getByRole('alert');
  assert.match(await alert.innerText(), /Check the A-number: it has 8 or 9 digits/);
  assert.equal(await page.getByLabel(EN.aNumber).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel(EN.aNumber).inputValue(), '12');
  await audit('error (en)', page.url());
  await Promise.all([page.waitForURL(/lang=es/), page.getByRole('link', { name: 'Español' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /Revise el número A/);
  await audit('error (es)', page.url());

  // The search page in Spanish for a Spanish browser, without ?lang=.
  const spanish = await browser.newContext({ javaScriptEnabled: false, locale: 'es-MX' });
  try {
    const es = await spanish.newPage();
    await es.goto(`${base}/`);
    assert.equal(await es.locator('html').getAttribute('lang'), 'es');
    await es.getByRole('heading', { level: 1, name: 'Buscar a una persona bajo custodia migratoria' })
      .waitFor();
  } finally {
    await spanish.close();
  }
  await audit('home (es)', `${base}/?lang=es`);

  assert.ok(fs.statSync(path.join(artifacts, 'results-en.png')).size > 0);
  assert.ok(fs.statSync(path.join(artifacts, 'results-es.png')).size > 0);
});

// Imports, with `vigil import`, the transfer of `person` to ADL `ago` ms ago.
function importTransfer(eventId, person, dob, basis, ago) {
  const moved = new Date(Date.now() - ago).toISOString().replace(/\.\d+Z$/, 'Z');
  const file = path.join(dir, `transfer-${eventId}.jsonl`);
  fs.writeFileSync(file, JSON.stringify({
    record: 'custody_event', source: 'browser-test', event_id: eventId, type: 'transferred',
    occurred_at: moved,
    subject: {
      a_number: person.a, given_names: person.given, family_names: person.family, aliases: [],
      date_of_birth: dob, country_of_birth: person.country,
    },
    facility_id: 'ADL', custody_basis: basis, protections: [],
  }) + '\n');
  execFileSync(vigil, ['--db', db, 'import', file], { env, stdio: 'pipe' });
}

// The newest message in the outbox (the file channel) for which `match`
// returns something, waiting for the server's dispatcher to write it.
async function waitForMessage(match, what) {
  const deadline = Date.now() + 20e3;
  for (;;) {
    const files = fs.existsSync(outbox) ?
      fs.readdirSync(outbox).filter((f) => f.endsWith('.txt')).sort((a, b) => parseInt(b) - parseInt(a)) : [];
    for (const f of files) {
      const found = match(fs.readFileSync(path.join(outbox, f), 'utf8'));
      if (found) return found;
    }
    if (Date.now() > deadline) throw new Error(`no message ${what} in ${outbox}:\n${serverLog()}`);
    await sleep(100);
  }
}

test('a visitor registers by email, by text and by call, confirms, and stops the notices', {
  timeout: 240e3,
}, async () => {
  const page = await visitor.newPage();
  const fullName = (p) => `${p.given} ${p.family}`;

  // From a search result to the registration form.
  await page.goto(`${base}/?lang=en`);
  await searchByName(page, MARIA, EN);
  await Promise.all([
    page.waitForURL(/\/register\?/),
    page.getByRole('link', { name: `Get notices about ${fullName(MARIA)}` }).click(),
  ]);
  await page.getByRole('heading', { level: 1, name: 'Get custody notices' }).waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /María|Hernández/,
    'the form does not say whom a ref names');
  await audit('register (en)', page.url());
  await Promise.all([page.waitForURL(/lang=es/), page.getByRole('link', { name: 'Español' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Recibir avisos de custodia' }).waitFor();
  await audit('register (es)', page.url());
  await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English' }).click()]);

  // A mistake in the address: the form comes back saying so.
  let response = null;
  page.once('response', (r) => { if (r.url().endsWith('/register')) response = r; });
  await page.getByLabel('Email address or phone number').fill('victim-at-example.org');
  await Promise.all([page.waitForLoadState(),
    page.getByRole('button', { name: 'Send me the confirmation' }).click()]);
  await page.getByRole('alert').waitFor();
  assert.equal(response?.status(), 400);
  assert.match(await page.getByRole('alert').innerText(), /Check the email address/);
  const contact = page.getByLabel('Email address or phone number');
  assert.equal(await contact.getAttribute('aria-invalid'), 'true');
  assert.equal(await contact.inputValue(), 'victim-at-example.org');
  await auditAnswer('register error (en)', page);

  // By email, messages in Spanish.
  await contact.fill('victim@example.org');
  await page.getByLabel('Español').check();
  await Promise.all([page.waitForLoadState(),
    page.getByRole('button', { name: 'Send me the confirmation' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Check your messages' }).waitFor();
  await auditAnswer('check your messages (en)', page);

  const verifyLink = await waitForMessage((m) => m.includes('To: victim@example.org') &&
    (m.match(/http:\/\/\S+\/verify\?token=[\w.-]+/) || [])[0], 'with a confirmation link');
  await page.goto(verifyLink);
  await page.getByRole('heading', { level: 1, name: 'Confirm your registration' }).waitFor();
  await audit('confirm (en)', page.url());
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Confirm' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Registration confirmed' }).waitFor();
  await auditAnswer('confirmed (en)', page);

  // A custody change arrives, in Spanish, with a one-click way to stop.
  importTransfer('T-1', MARIA, '1988-03-14', 'civil_immigration', 3600e3);
  const notice = await waitForMessage((m) => m.includes('List-Unsubscribe:') && m, 'with a notice');
  assert.match(notice, /María José Hernández Ávila está bajo custodia/);
  assert.match(notice, /llame al 911/);
  const stopLink = notice.match(/List-Unsubscribe: <([^>]+)>/)[1];
  await page.goto(`${stopLink}&lang=es`);
  await page.getByRole('heading', { level: 1, name: 'Dejar de recibir avisos' }).waitFor();
  await audit('stop (es)', page.url());
  await Promise.all([page.waitForLoadState(),
    page.getByRole('button', { name: 'Dejar de recibir avisos' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Avisos cancelados' }).waitFor();
  await auditAnswer('stopped (es)', page);

  // By text message: the code arrives by SMS and is typed into the code form.
  await page.goto(`${base}/?lang=en`);
  await searchByName(page, JOSE, EN);
  await Promise.all([
    page.waitForURL(/\/register\?/),
    page.getByRole('link', { name: `Get notices about ${fullName(JOSE)}` }).click(),
  ]);
  await page.getByLabel('By text message (SMS)').check();
  await page.getByLabel('Email address or phone number').fill('(202) 555-0143');
  await Promise.all([page.waitForLoadState(),
    page.getByRole('button', { name: 'Send me the confirmation' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Check your messages' }).waitFor();
  const code = await waitForMessage((m) => m.includes('To: +12025550143') &&
    (m.match(/your code is (\d{6})/) || [])[1], 'with a texted code');
  await Promise.all([page.waitForURL(/\/verify/),
    page.getByRole('link', { name: 'I received a code by text message' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Confirm your registration' }).waitFor();
  await audit('code form (en)', page.url());
  await page.getByLabel('Phone number').fill('202-555-0143');
  await page.getByLabel('6-digit code').fill(code);
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Confirm' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Registration confirmed' }).waitFor();
  await page.screenshot({ path: path.join(artifacts, 'registered-en.png'), fullPage: true });

  // The same code again: not valid, said plainly.
  await page.goto(`${base}/verify?lang=es`);
  await page.getByLabel('Número de teléfono').fill('202-555-0143');
  await page.getByLabel('Código de 6 dígitos').fill(code);
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Confirmar' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'No es válido' }).waitFor();
  await audit('code form (es)', `${base}/verify?lang=es`);
  await auditAnswer('code not valid (es)', page);

  // By phone call, with a PIN: the call reads the code (written to the outbox here).
  await page.goto(`${base}/?lang=en`);
  await searchByName(page, ANA, EN);
  await Promise.all([
    page.waitForURL(/\/register\?/),
    page.getByRole('link', { name: `Get notices about ${fullName(ANA)}` }).click(),
  ]);
  await page.getByLabel('By phone call').check();
  await page.getByLabel('Email address or phone number').fill('+1 202 555 0188');
  await Promise.all([page.waitForLoadState(),
    page.getByRole('button', { name: 'Send me the confirmation' }).click()]);
  // Without a PIN the form comes back asking for one.
  assert.match(await page.getByRole('alert').innerText(), /Choose a PIN of 4 digits/);
  assert.equal(await page.getByLabel(/^PIN for phone calls/).getAttribute('aria-invalid'), 'true');
  await auditAnswer('register pin error (en)', page);
  await page.getByLabel(/^PIN for phone calls/).fill('2468');
  await Promise.all([page.waitForLoadState(),
    page.getByRole('button', { name: 'Send me the confirmation' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Check your messages' }).waitFor();
  // The page speaks of the call that is coming, not of an email or a text.
  const told = await page.locator('main').innerText();
  assert.match(told, /we will call you/);
  assert.doesNotMatch(told, /email|text message/i);
  assert.ok(await page.getByRole('link', { name: 'Enter the code from the call' }).isVisible());
  const spoken = await waitForMessage((m) => m.includes('To: +12025550188') &&
    (m.match(/Your code is: (\d), (\d), (\d), (\d), (\d), (\d)/) || []).slice(1).join(''),
  'with a code read by a call');
  await page.goto(`${base}/verify?lang=en`);
  await page.getByLabel('Phone number').fill('+12025550188');
  await page.getByLabel('6-digit code').fill(spoken);
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Confirm' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Registration confirmed' }).waitFor();
});

test('the HTML report, with its chart, passes axe-core', { timeout: 60e3 }, async () => {
  const out = path.join(dir, 'report.html');
  execFileSync(vigil, ['--db', db, 'report', '--from', '2026-01-01', '--to', '2026-12-31',
    '--format', 'html', '--out', out], { env, stdio: 'pipe' });
  await audit('report (html)', `file://${out}`);
  const page = await visitor.newPage();
  try {
    await page.goto(`file://${out}`);
    assert.equal(await page.locator('svg[role="img"]').count(), 1);
    await page.screenshot({ path: path.join(artifacts, 'report.png'), fullPage: true });
  } finally {
    await page.close();
  }
});

const LANGUAGES = ['en', 'es', 'ht', 'pt', 'zh-Hans', 'vi', 'ar', 'ru', 'fr'];

// The pages of one language a visitor meets, by label.
function pagesIn(lang, ref) {
  const q = new URLSearchParams({
    given_name: MARIA.given, family_name: MARIA.family, country_of_birth: MARIA.country, lang,
  });
  return [
    ['home', `${base}/?lang=${lang}`],
    ['results', `${base}/search?${q}`],
    ['register', `${base}/register?ref=${encodeURIComponent(ref)}&lang=${lang}`],
    ['safety', `${base}/safety?lang=${lang}`],
    ['not found', `${base}/no-such-page?lang=${lang}`],
    ['code form', `${base}/verify?lang=${lang}`],
    ['status form', `${base}/status?lang=${lang}`],
  ];
}

// Maria's ref, as her result links to the registration form.
async function mariaRef() {
  const page = await visitor.newPage();
  try {
    await page.goto(`${base}/?lang=en`);
    await searchByName(page, MARIA, EN);
    const href = await page.getByRole('link', { name: /^Get notices about/ }).getAttribute('href');
    return new URLSearchParams(href.split('?')[1]).get('ref');
  } finally {
    await page.close();
  }
}

test('every page offers a quick exit, is never cached, and links to safer browsing', {
  timeout: 120e3,
}, async () => {
  const ref = await mariaRef();
  for (const [label, url] of pagesIn('en', ref)) {
    const res = await fetch(url, { headers: { accept: 'text/html' } });
    assert.equal(res.headers.get('cache-control'), 'no-store', label);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', label);
    const html = await res.text();
    assert.match(html, new RegExp(`<a class="exit" id="quick-exit" href="${neutral}"`), label);
  }

  // Without JavaScript, "Leave this site" is a plain link, and the first
  // thing the keyboard reaches.
  const plain = await visitor.newPage();
  await plain.goto(`${base}/?lang=en`);
  await plain.keyboard.press('Tab');
  assert.equal(await plain.evaluate(() => document.activeElement.id), 'quick-exit');
  await Promise.all([plain.waitForURL(neutral), plain.keyboard.press('Enter')]);
  await plain.close();

  // With JavaScript, the Esc key leaves too, and the page left is taken out
  // of the history: Back does not return to the results.
  const page = await auditor.newPage();
  await page.goto(`${base}/?lang=en`);
  await searchByName(page, MARIA, EN);
  const results = page.url();
  await Promise.all([page.waitForURL(neutral), page.keyboard.press('Escape')]);
  await page.goBack();
  assert.notEqual(page.url(), results, 'Back returned to the page the visitor left');
  await page.goto(results);
  await Promise.all([page.waitForURL(neutral),
    page.getByRole('link', { name: 'Leave this site' }).click()]);
  await page.goBack();
  assert.notEqual(page.url(), results);
  await page.close();

  // The safer-browsing page: private windows, history, shared devices, help.
  const safety = await visitor.newPage();
  await safety.goto(`${base}/?lang=en`);
  await Promise.all([safety.waitForURL(/\/safety/),
    safety.getByRole('link', { name: 'Browse more safely' }).click()]);
  await safety.getByRole('heading', { level: 1, name: 'Browse more safely' }).waitFor();
  for (const heading of ['Leaving quickly', 'Use a private window', 'Clear your history',
    'Shared phones and computers', 'Where to get help']) {
    await safety.getByRole('heading', { level: 2, name: heading }).waitFor();
  }
  const help = safety.locator('main ul');
  assert.equal(await help.getByRole('link', { name: '1-800-799-7233' }).getAttribute('href'),
    'tel:+18007997233');
  assert.equal(await help.getByRole('link', { name: '1-888-373-7888' }).getAttribute('href'),
    'tel:+18883737888');
  await safety.close();

  // A browser asking for a missing page gets a page; an API client, JSON.
  const missing = await fetch(`${base}/no-such-page`, { headers: { accept: 'text/html' } });
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('content-type'), /^text\/html/);
  assert.match(await missing.text(), /<h1>Page not found<\/h1>/);
  const api = await fetch(`${base}/no-such-page`, { headers: { accept: 'application/json' } });
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /^application\/json/);
  const apiPath = await fetch(`${base}/api/v1/nothing`, { headers: { accept: 'text/html' } });
  assert.match(apiPath.headers.get('content-type'), /^application\/json/);
});

test('every page in all nine languages passes axe-core; Arabic is right to left', {
  timeout: 300e3,
}, async () => {
  const ref = await mariaRef();
  const page = await visitor.newPage();
  for (const lang of LANGUAGES) {
    for (const [label, url] of pagesIn(lang, ref)) {
      const res = await page.goto(url);
      assert.equal(res.headers()['content-language'], lang, `${label} (${lang})`);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
      await audit(`${label} (${lang})`, url);
    }
  }
  // The switch offers every other language, each named in itself.
  await page.goto(`${base}/?lang=ar`);
  for (const name of ['English', 'Español', 'Kreyòl ayisyen', 'Português', '简体中文', 'Tiếng Việt',
    'Русский', 'Français']) {
    assert.ok(await page.getByRole('link', { name, exact: true }).isVisible(), name);
  }
  await page.close();
});

// Pages usable on a 320 px phone and at 200% zoom (a 1280 px window is then
// 640 CSS px wide): nothing scrolls sideways, the report's chart included.
test('pages fit a 320 px phone and 200% zoom in every language', { timeout: 240e3 }, async () => {
  const ref = await mariaRef();
  const report = path.join(dir, 'report-narrow.html');
  execFileSync(vigil, ['--db', db, 'report', '--from', '2026-01-01', '--to', '2026-12-31',
    '--format', 'html', '--out', report], { env, stdio: 'pipe' });
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    const overflow = () => page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    for (const lang of LANGUAGES) {
      for (const [label, url] of pagesIn(lang, ref)) {
        await page.goto(url);
        assert.ok(await overflow() <= 0, `${label} (${lang}) scrolls sideways at ${viewport.width} px`);
      }
    }
    await page.goto(`file://${report}`);
    assert.ok(await overflow() <= 0, `the report scrolls sideways at ${viewport.width} px`);
    const chart = await page.evaluate(() => {
      const c = document.querySelector('.chart');
      return c.scrollWidth - c.clientWidth;
    });
    assert.ok(chart <= 0, `the chart scrolls sideways at ${viewport.width} px`);
    await context.close();
  }
});

// Search, register, confirm and stop with the keyboard alone: every step
// reached by Tab, typed, and pressed with Enter or Space.
test('search, register, confirm and unsubscribe with the keyboard only', {
  timeout: 180e3,
}, async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return { id: e.id, tag: e.tagName, text: (e.innerText || e.value || '').trim() };
  });
  async function tabTo(match, what) {
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      if (match(await focused())) return;
    }
    throw new Error(`${what} cannot be reached with Tab`);
  }
  await page.goto(`${base}/?lang=en`);
  await tabTo((f) => f.id === 'given_name', 'the given name');
  await page.keyboard.type(ANA.given);
  await tabTo((f) => f.id === 'family_name', 'the family name');
  await page.keyboard.type(ANA.family);
  await tabTo((f) => f.id === 'name-country', 'the country');
  await page.keyboard.type('Honduras');
  await tabTo((f) => f.tag === 'BUTTON' && f.text === 'Search by name', 'the search button');
  await Promise.all([page.waitForURL(/\/search\?/), page.keyboard.press('Enter')]);
  await tabTo((f) => f.text.startsWith('Get notices about'), 'the notices link');
  await Promise.all([page.waitForURL(/\/register\?/), page.keyboard.press('Enter')]);
  await tabTo((f) => f.id === 'contact', 'the contact field');
  await page.keyboard.type('keyboard@example.org');
  await tabTo((f) => f.tag === 'BUTTON', 'the send button');
  await Promise.all([page.waitForLoadState(), page.keyboard.press('Enter')]);
  await page.getByRole('heading', { level: 1, name: 'Check your messages' }).waitFor();

  const verifyLink = await waitForMessage((m) => m.includes('To: keyboard@example.org') &&
    (m.match(/http:\/\/\S+\/verify\?token=[\w.-]+/) || [])[0], 'with a confirmation link');
  await page.goto(verifyLink);
  await tabTo((f) => f.tag === 'BUTTON' && f.text === 'Confirm', 'the confirm button');
  await Promise.all([page.waitForLoadState(), page.keyboard.press('Space')]);
  await page.getByRole('heading', { level: 1, name: 'Registration confirmed' }).waitFor();

  importTransfer('T-K', ANA, '1990-12-30', 'criminal_conviction', 1800e3);
  const notice = await waitForMessage((m) => m.includes('To: keyboard@example.org') &&
    m.includes('List-Unsubscribe:') && m, 'with a notice');
  await page.goto(notice.match(/List-Unsubscribe: <([^>]+)>/)[1]);
  await tabTo((f) => f.tag === 'BUTTON', 'the stop button');
  await Promise.all([page.waitForLoadState(), page.keyboard.press('Enter')]);
  await page.getByRole('heading', { level: 1, name: 'Notices stopped' }).waitFor();
  await context.close();
});

// Screenshots of the main pages in three languages (one right to left), at
// phone and desktop width: docs/screenshots/ holds the ones a person looks at.
test('screenshots of the main pages in English, Spanish and Arabic', { timeout: 120e3 },
  async () => {
    const ref = await mariaRef();
    const out = process.env.TEST_SCREENSHOTS_DIR || path.join(artifacts, 'screenshots');
    fs.mkdirSync(out, { recursive: true });
    for (const [width, height, name] of [[375, 812, 'phone'], [1280, 900, 'desktop']]) {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'en-US' });
      const page = await context.newPage();
      for (const lang of ['en', 'es', 'ar']) {
        for (const [label, url] of pagesIn(lang, ref).filter(([l]) =>
          ['home', 'results', 'register', 'safety'].includes(l))) {
          await page.goto(url);
          const file = path.join(out, `${label}-${lang}-${name}.png`);
          await page.screenshot({ path: file });
          assert.ok(fs.statSync(file).size > 0);
        }
      }
      await context.close();
    }
  });

// docs/openapi.yaml is a valid OpenAPI document, and what the server answers
// matches it: each live response's status is documented for its operation,
// and its JSON body validates against the documented schema.
test('live API responses match docs/openapi.yaml', { timeout: 60e3 }, async () => {
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  const { default: Ajv } = await import('ajv');
  const spec = await SwaggerParser.validate(path.join(here, '..', '..', 'docs', 'openapi.yaml'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addKeyword('example');
  const ref = await mariaRef();
  const checked = [];
  async function check(method, route, target, init = {}) {
    const res = await fetch(`${base}${target}`, { method, ...init });
    const op = spec.paths[route]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${route} is not in docs/openapi.yaml`);
    const documented = op.responses[String(res.status)];
    assert.ok(documented, `${method} ${target} answered ${res.status}, which ${route} does not document`);
    const type = res.headers.get('content-type') || '';
    // Errors without a schema of their own are the documented error shape
    // (info.description, components.schemas.Error).
    const schema = documented.content?.['application/json']?.schema ??
      (res.status >= 400 ? spec.components.schemas.Error : undefined);
    if (type.startsWith('application/json')) {
      assert.ok(schema, `${method} ${target} ${res.status}: JSON answer without a documented schema`);
      const body = await res.json();
      const valid = ajv.validate(schema, body);
      assert.ok(valid, `${method} ${target} ${res.status}: ${ajv.errorsText()}\n${JSON.stringify(body)}`);
    }
    checked.push(`${method} ${target} ${res.status}`);
    return res;
  }
  const json = (body, headers = {}) => ({
    headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  });
  await check('GET', '/healthz', '/healthz');
  await check('GET', '/api/v1/search', `/api/v1/search?a_number=${MARIA.a}&country_of_birth=MX`);
  await check('GET', '/api/v1/search', `/api/v1/search?a_number=${PROTECTED.a}&country_of_birth=GT`);
  await check('GET', '/api/v1/search', '/api/v1/search?given_name=M&family_name=X');
  await check('POST', '/api/v1/registrations', '/api/v1/registrations',
    json({ ref, contact: 'openapi@example.org', language: 'ht' }));
  await check('POST', '/api/v1/registrations', '/api/v1/registrations',
    json({ ref, contact: 'not an address' }));
  await check('POST', '/api/v1/registrations', '/api/v1/registrations',
    json({ ref, contact: 'openapi@example.org' }, { authorization: 'Bearer vk.0000000000000000.x' }));
  await check('POST', '/api/v1/registrations/verify', '/api/v1/registrations/verify',
    json({ token: 'not-a-token' }));
  await check('POST', '/api/v1/agency/events', '/api/v1/agency/events', json({}));
  const form = (body) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  await check('GET', '/protect', `/protect?ref=${ref}`);
  await check('POST', '/protect', '/protect', form({ a_number: '12', reason: 'vawa' }));
  await check('POST', '/protect', '/protect', form({ a_number: '999999999', reason: 'other' }));
  await check('GET', '/staff/login', '/staff/login');
  await check('GET', '/staff/', '/staff/', { redirect: 'manual' });
  await check('POST', '/staff/protect', '/staff/protect',
    { ...form({ identifier: MARIA.a, reason: 'vawa' }), redirect: 'manual' });
  console.log(`openapi: ${checked.length} live responses validated\n  ${checked.join('\n  ')}`);
});

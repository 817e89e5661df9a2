// Browser test of the staff console and protection requests (docs/staff.md),
// in Debian's Chromium driven by playwright-core, JavaScript off as the
// console must work without it:
//   - an accredited advocate signs in with a password and a TOTP code and
//     withholds a published person in one form: the public's next search
//     finds nobody; a supervisor confirms and the person stays absent;
//   - a member of the public asks from the result's own link; a specialist
//     withholds in two clicks from the queue;
//   - a rejected request shows the person again;
//   - an admin states a release by hand and makes a report;
//   - every console page passes axe-core (WCAG 2.1 A/AA) in English and Spanish.
// Accounts are made with `vigil staff add`, as an operator would.
//
// Needs $TEST_VIGIL_BINARY (set by CTest) and /usr/bin/chromium (scripts/setup).
// Uses only 127.0.0.1, a temporary directory and a free port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  WCAG_TAGS, auditHtml, launchChromium, sleep, startVigil, stopVigil,
} from './common.mjs';

const vigil = process.env.TEST_VIGIL_BINARY;

const ROSA = { a: '310000001', given: 'Rosa', family: 'Quintanilla Paz', country: 'SV' };
const LUIS = { a: '310000002', given: 'Luis', family: 'Carranza Mejía', country: 'HN' };
const ELENA = { a: '310000003', given: 'Elena', family: 'Batz Coc', country: 'GT' };
const CARLOS = { a: '310000004', given: 'Carlos', family: 'Ajú Tum', country: 'GT' };

function feed() {
  const booked = new Date(Date.now() - 3 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const lines = [{
    record: 'facility', facility_id: 'ADL', name: 'Adelanto ICE Processing Center',
    city: 'Adelanto', state: 'CA', phone: '+17605550100',
  }];
  [ROSA, LUIS, ELENA, CARLOS].forEach((p, i) => lines.push({
    record: 'custody_event', source: 'staff-test', event_id: `S-${i + 1}`, type: 'booked',
    occurred_at: booked,
    subject: {
      a_number: p.a, given_names: p.given, family_names: p.family, aliases: [],
      date_of_birth: '1984-04-04', country_of_birth: p.country,
    },
    facility_id: 'ADL', custody_basis: 'civil_immigration', protections: [],
  }));
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

// RFC 6238 with HMAC-SHA1, 6 digits, 30 s: what an authenticator app shows.
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of text.trim()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}
function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = crypto.createHmac('sha1', base32(secret)).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1e6).padStart(6, '0');
}

let dir; let db; let env; let server; let base; let browser; let axeContext;
const secrets = {};
const audited = [];
const killServer = () => { if (server && server.exitCode === null) server.kill('SIGKILL'); };
process.on('exit', killServer);

before(async () => {
  assert.ok(vigil, 'TEST_VIGIL_BINARY is not set (run through ctest)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-staff-'));
  db = path.join(dir, 'v.db');
  const feedFile = path.join(dir, 'feed.jsonl');
  fs.writeFileSync(feedFile, feed());
  env = {
    ...process.env,
    VIGIL_SECRETS_KEY_FILE: path.join(dir, 'secret.key'),
    VIGIL_LIMITS_SEARCH_PER_MINUTE: '600',
    VIGIL_NOTIFY_EMAIL: 'file', VIGIL_NOTIFY_SMS: 'file', VIGIL_NOTIFY_VOICE: 'file',
    VIGIL_FILE_OUTBOX_DIR: path.join(dir, 'outbox'),
  };
  execFileSync(vigil, ['secrets', 'init'], { env, stdio: 'pipe' });
  execFileSync(vigil, ['--db', db, '--create', 'import', feedFile], { env, stdio: 'pipe' });
  for (const role of ['advocate', 'specialist', 'supervisor', 'admin']) {
    // The password on standard input, the TOTP key printed once on standard output.
    secrets[role] = execFileSync(vigil, ['--db', db, 'staff', 'add', role, '--role', role],
      { env, input: `password of ${role}\n`, stdio: ['pipe', 'pipe', 'pipe'] }).toString().trim();
    assert.match(secrets[role], /^[A-Z2-7]{32}$/);
  }
  const listed = execFileSync(vigil, ['--db', db, 'staff', 'list'], { env }).toString();
  assert.match(listed, /advocate\tadvocate\tactive/);

  ({ server, base } = await startVigil(vigil, db, env));
  browser = await launchChromium();
  axeContext = await browser.newContext({ locale: 'en-US' });
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopVigil(server);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  console.log(`axe-core ${WCAG_TAGS.join(', ')}: ${audited.length} console pages checked`);
  for (const a of audited) console.log(`  ${a.label}: ${a.violations} violations`);
});

// axe-core on the HTML the (script-less) staff page shows: the console's
// pages need the session, so the markup is audited rather than the URL.
async function audit(label, page) {
  await auditHtml(axeContext, await page.content(), label, page.url(), audited);
}

// A code for `role` that has not signed in yet: vigil takes each code once
// (RFC 6238 §5.2), so a second sign-in within 30 s types the next step's,
// as a person would wait for their app's next code.
const lastStep = {};
async function freshCode(role) {
  for (;;) {
    const step = Math.floor(Date.now() / 30e3);
    const use = Math.max(step, (lastStep[role] ?? -1) + 1);
    if (use <= step + 1) {
      lastStep[role] = use;
      return totp(secrets[role], use * 30e3);
    }
    await sleep(1000);
  }
}

// A staff member's own browser, signed in with password and code.
async function signIn(role, lang = 'en') {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${base}/staff/login?lang=${lang}`);
  const labels = lang === 'es'
    ? { name: 'Nombre de cuenta', password: 'Contraseña', code: /^Código de 6 dígitos/, button: 'Iniciar sesión' }
    : { name: 'Account name', password: 'Password', code: /^6-digit code/, button: 'Sign in' };
  await page.getByLabel(labels.name).fill(role);
  await page.getByLabel(labels.password).fill(`password of ${role}`);
  await page.getByLabel(labels.code).fill(await freshCode(role));
  await Promise.all([page.waitForURL(/\/staff\/\?/), page.getByRole('button', { name: labels.button }).click()]);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'vigil_staff');
  assert.ok(session, 'no session cookie after sign-in');
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, 'Strict');
  return { context, page };
}

// Presses a form's button and waits for the answer to its POST (200, or
// 303 to the page that shows the change) and for that page to be shown.
async function submit(page, button, status = 200) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  assert.equal(response.status(), status, `${button}: ${status === 200 ? await response.text() : ''}`);
  await page.waitForLoadState();
}

// What the public sees for an A-number: true when the person is listed.
async function publiclyListed(person) {
  const res = await fetch(`${base}/api/v1/search?a_number=${person.a}&country_of_birth=${person.country}`);
  const body = await res.json();
  return body.results.length > 0;
}

test('an accredited advocate withholds a published person in one form; a supervisor confirms', {
  timeout: 90e3,
}, async () => {
  assert.equal(await publiclyListed(ROSA), true);
  const advocate = await signIn('advocate');
  const page = advocate.page;
  await page.getByRole('link', { name: 'Ask for a person to be withheld' }).first().click();
  await audit('advocate: request form', page);
  await page.getByLabel('A-number or reference').fill(`A${ROSA.a}`);
  await page.getByLabel('Reason').selectOption('vawa');
  const sent = Date.now();
  await submit(page, 'Send the request');
  // The one submission: on the next request the public finds nobody.
  assert.equal(await publiclyListed(ROSA), false);
  console.log(`advocate request to absent: ${Date.now() - sent} ms`);
  await assert.doesNotReject(page.getByRole('status').waitFor());
  await audit('advocate: request sent', page);
  const visitor = await browser.newContext({ javaScriptEnabled: false });
  const pub = await visitor.newPage();
  await pub.goto(`${base}/search?a_number=${ROSA.a}&country_of_birth=SV&lang=en`);
  assert.equal(await pub.getByText('Quintanilla').count(), 0);
  await assert.doesNotReject(pub.getByRole('heading', { name: 'No one found' }).waitFor());

  // The advocate may not see the queue.
  const queue = await page.goto(`${base}/staff/requests`);
  assert.equal(queue.status(), 403);

  const supervisor = await signIn('supervisor');
  const s = supervisor.page;
  await audit('supervisor: home', s);
  await s.getByRole('link', { name: 'Protection requests' }).first().click();
  await audit('supervisor: queue', s);
  await s.getByRole('link', { name: /^Open Request/ }).first().click();
  await audit('supervisor: request', s);
  assert.ok(await s.getByText(`${ROSA.given} ${ROSA.family}`).count() > 0, 'staff see whom it names');
  await submit(s, 'Confirm: withhold', 303);
  await assert.doesNotReject(s.getByText('confirmed (staff:supervisor)').waitFor());
  assert.equal(await publiclyListed(ROSA), false);
  // The person page shows the protection and why the public does not see them.
  await s.goto(`${base}/staff/person?id=${ROSA.a}`);
  await audit('supervisor: person', s);
  await assert.doesNotReject(s.getByRole('cell', { name: 'sec1367' }).waitFor());
  await assert.doesNotReject(s.getByText('withheld (protected)').waitFor());
  await advocate.context.close();
  await supervisor.context.close();
  await visitor.close();
});

test('a public request from the result link; a specialist withholds in two clicks', {
  timeout: 90e3,
}, async () => {
  const visitor = await browser.newContext({ javaScriptEnabled: false });
  const pub = await visitor.newPage();
  await pub.goto(`${base}/search?a_number=${LUIS.a}&country_of_birth=HN&lang=en`);
  await pub.getByRole('link', { name: 'Should this person not be listed?' }).click();
  await pub.getByLabel('They are seeking asylum').check();
  await submit(pub, 'Send the request');
  await assert.doesNotReject(pub.getByRole('heading', { name: 'Request received' }).waitFor());
  assert.equal(await publiclyListed(LUIS), true, 'a public request only queues');

  const specialist = await signIn('specialist');
  const page = specialist.page;
  await page.goto(`${base}/staff/requests`);
  // Click 1: open the request. Click 2: confirm.
  await page.getByRole('link', { name: /^Open Request/ }).last().click();
  assert.ok(await page.getByText(`${LUIS.given} ${LUIS.family}`).count() > 0);
  assert.equal(await page.getByRole('button', { name: 'Reject: show again' }).count(), 0,
    'a specialist may not reject');
  await submit(page, 'Confirm: withhold', 303);
  assert.equal(await publiclyListed(LUIS), false);
  await specialist.context.close();
  await visitor.close();
});

test('a rejected request shows the person again; the console in Spanish passes axe-core', {
  timeout: 90e3,
}, async () => {
  const advocate = await signIn('advocate', 'es');
  const page = advocate.page;
  await page.goto(`${base}/staff/protect?lang=es`);
  await page.getByLabel('Número A o referencia').fill(ELENA.a);
  await page.getByLabel('Motivo').selectOption('safety');
  await submit(page, 'Enviar la solicitud');
  assert.equal(await publiclyListed(ELENA), false);
  await advocate.context.close();

  const supervisor = await signIn('supervisor', 'es');
  const s = supervisor.page;
  await audit('supervisor (es): home', s);
  await s.goto(`${base}/staff/requests?lang=es`);
  await audit('supervisor (es): queue', s);
  await s.getByRole('link', { name: /^Abrir Solicitud/ }).last().click();
  await audit('supervisor (es): request', s);
  await submit(s, 'Rechazar: volver a mostrar', 303);
  // Withholding is immediate; showing again waits for the search index to
  // follow the store (polled every 250 ms), so allow it a few seconds.
  let listed = false;
  for (const until = Date.now() + 5000; !listed && Date.now() < until; await sleep(100)) {
    listed = await publiclyListed(ELENA);
  }
  assert.equal(listed, true, 'the rejected request left the person withheld');
  for (const [label, url] of [['alerts', '/staff/alerts?lang=es'], ['voicemails', '/staff/voicemails?lang=es'],
    ['audit', '/staff/audit?lang=es&kind=protection_decision']]) {
    await s.goto(`${base}${url}`);
    await audit(`supervisor (es): ${label}`, s);
  }
  await assert.doesNotReject(s.getByText('rejected').first().waitFor());
  // Signing out ends the session; the console asks to sign in again.
  await Promise.all([s.waitForURL(/\/staff\/login/), s.getByRole('button', { name: 'Cerrar sesión' }).click()]);
  await s.goto(`${base}/staff/requests`);
  assert.match(s.url(), /\/staff\/login/);
  await audit('sign-in (es)', s);
  await supervisor.context.close();
});

test('an admin states a release by hand and makes a report; both pages pass axe-core', {
  timeout: 90e3,
}, async () => {
  const admin = await signIn('admin');
  const s = admin.page;
  await s.goto(`${base}/staff/person?id=${CARLOS.a}`);
  await s.locator('#ovr-status').selectOption('released');
  await s.locator('#ovr-why').fill('released on bond; the feed is a day late');
  await submit(s, 'Record the status', 303);
  await assert.doesNotReject(s.getByRole('status').filter({ hasText: 'Saved.' }).waitFor());
  await assert.doesNotReject(s.getByRole('cell', { name: 'released', exact: true }).waitFor());
  await audit('admin: person after an override', s);
  await s.goto(`${base}/staff/audit?kind=override`);
  await assert.doesNotReject(s.getByRole('cell', { name: 'staff:admin' }).first().waitFor());

  await s.getByRole('link', { name: 'Reports' }).click();
  await audit('admin: reports', s);
  const [report] = await Promise.all([
    s.waitForResponse((r) => r.url().includes('/staff/reports/report')),
    s.getByRole('button', { name: 'Make the report' }).click(),
  ]);
  assert.equal(report.status(), 200, await report.text());
  await s.waitForLoadState();
  await assert.doesNotReject(s.locator('svg[role="img"]').waitFor());
  await audit('admin: report', s);
  for (const [label, url] of [['person', `/staff/person?lang=es&id=${CARLOS.a}`], ['reports', '/staff/reports?lang=es']]) {
    await s.goto(`${base}${url}`);
    await audit(`admin (es): ${label}`, s);
  }
  await admin.context.close();
});

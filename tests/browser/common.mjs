// What the browser tests share: a free loopback port, a vigil server started
// and waited for, Chromium launched as the house rules say, and axe-core
// run on a page's markup.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Starts `vigil --db DB serve` on a free port and waits until /healthz
// answers. Returns { server, base, log() }.
export async function startVigil(vigil, db, env) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const server = spawn(vigil, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`],
    { env: { ...env, VIGIL_SERVER_PUBLIC_URL: base }, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  const deadline = Date.now() + 30e3;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (server.exitCode !== null || Date.now() > deadline) {
      throw new Error(`vigil serve did not become healthy:\n${log}`);
    }
    await sleep(100);
  }
  return { server, base, log: () => log };
}

// Stops a server started by startVigil: SIGTERM, then SIGKILL after 5 s.
export async function stopVigil(server) {
  if (!server || server.exitCode !== null) return;
  server.kill('SIGTERM');
  const exited = new Promise((r) => server.once('exit', r));
  if (await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]) === false) {
    server.kill('SIGKILL');
  }
}

// Debian's Chromium, headless, with no network but 127.0.0.1.
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.VIGIL_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
}

// Runs axe-core on what `page` shows and fails on any WCAG 2.1 A/AA
// violation; records { label, url, violations }. Evaluated through the
// DevTools protocol, so the page's CSP (no scripts) does not stop it.
export async function axeCheck(page, label, url, audited) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG_TAGS);
  audited.push({ label, url, violations: results.violations.length });
  const report = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')).join('\n');
  assert.equal(results.violations.length, 0, `axe-core violations on ${label} (${url}):\n${report}`);
}

// axeCheck on `html`, set in a fresh page of `context`.
export async function auditHtml(context, html, label, url, audited) {
  const page = await context.newPage();
  try {
    await page.setContent(html);
    await axeCheck(page, label, url, audited);
  } finally {
    await page.close();
  }
}

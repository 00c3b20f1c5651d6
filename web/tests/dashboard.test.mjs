// The dashboard page in a real browser (Debian's chromium driven by
// playwright-core) against `heapwise watch --listen` on a real leaking node
// process: the figures and the chart fill in, the capture button saves a
// snapshot, and the hunt's leak report shows up with its verdict.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { BIN, FIXTURES, tempDir } from '../../tests/integration/helpers.mjs';
import { launchChromium } from './browser.mjs';

const dir = tempDir('heapwise-dashboard-');
const snapshotDir = path.join(dir, 'snapshots');
let watch, browser, page, base;
let watchErr = '';
const pageErrors = [];

before(async () => {
  watch = spawn(BIN, ['watch', '--interval', '250ms', '--window', '5s', '--warmup', '10s', '--hunt',
                      '--hunt-interval', '3s', '--snapshot-dir', snapshotDir, '--listen', '127.0.0.1:0', '--',
                      process.execPath, path.join(FIXTURES, 'watch-leak.js')],
                { stdio: ['ignore', 'ignore', 'pipe'] });
  watch.stderr.on('data', (d) => { watchErr += d; });
  for (let i = 0; i < 200 && !/watching /.test(watchErr); i++) await new Promise((r) => setTimeout(r, 100));
  // The printed URL carries the access token; the page keeps it as a cookie for its own requests.
  base = /serving (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}) /.exec(watchErr)[1];
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
});

after(async () => {
  if (browser) await browser.close();
  if (watch.exitCode === null) watch.kill('SIGINT');
});

test('the page shows the target, the figures and the chart', async () => {
  await page.goto(base);
  await page.waitForFunction(() => /PID \d+/.test(document.getElementById('target').textContent));
  assert.match(await page.textContent('#target'), /node v\d+/);
  await page.waitForFunction(() => document.querySelectorAll('#chart path[data-series]').length === 3);
  assert.match(await page.textContent('#heap-used'), /^\d+(\.\d)? (KB|MB|GB)$/);
  // Read once the target answers (a child still starting may not at first).
  await page.waitForFunction(() => /GB$/.test(document.getElementById('heap-limit').textContent));
  const points = await page.$eval('#chart path[data-series="heap_used"]', (p) => p.getAttribute('d').split('L').length);
  assert.ok(points >= 2, `${points} points`);
  assert.deepEqual(pageErrors, []);
});

test('the capture button saves a snapshot and lists it', async () => {
  await page.click('#capture');
  await page.waitForFunction(() => /saved snapshot-/.test(document.getElementById('capture-result').textContent),
                             null, { timeout: 60000 });
  const saved = /saved (\S+)/.exec(await page.textContent('#capture-result'))[1];
  assert.ok(fs.existsSync(path.join(snapshotDir, saved)));
  await page.waitForSelector(`#snapshots a[href="/memory/snapshots/${saved}"]`, { timeout: 10000 });
});

test('a hunt\'s leak report appears with the trend verdict', async () => {
  try {
    await page.waitForFunction(() => /leak\(s\) found/.test(document.getElementById('leak-report').textContent),
                               null, { timeout: 240000 });
  } catch (e) {
    throw new Error(`${e.message}\nheapwise watch said:\n${watchErr}`);
  }
  const report = await page.textContent('#leak-report');
  // The holder by name and the line of its declaration, as in `heapwise leaks`.
  assert.match(report, /held by 'leaked': Array/);
  assert.match(report, /declared at \S*watch-leak\.js:4:7/);
  assert.match(await page.textContent('#alerts'), /leak-trend/);
  await page.screenshot({ path: path.join(dir, 'dashboard.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('the hunt\'s snapshots open in the explorer in place, and a captured one alone', async () => {
  await page.click('#explore-series');
  await page.waitForFunction(() => document.body.dataset.state === 'ready' &&
                                   document.body.dataset.rendered === location.hash, null, { timeout: 120000 });
  assert.match(new URL(page.url()).pathname, /^\/explore\/hunt-[^/]+-1\.heapsnapshot,hunt-[^/]+-2\.heapsnapshot,hunt-[^/]+-3\.heapsnapshot\/$/);
  const finding = await page.textContent('.finding');
  assert.match(finding, /'leaked'/);
  // A captured snapshot by itself: its Summary.
  await page.goBack();
  await page.waitForSelector('#snapshots a.explore');
  const one = await page.getAttribute('#snapshots a.explore', 'href');
  await page.goto(new URL(one, page.url()).href);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 120000 });
  assert.match(await page.textContent('h2'), /^Summary — \d/);
  // A name that is not in the directory: the page says so.
  await page.goto(new URL('/explore/nothing.heapsnapshot/', page.url()).href);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  assert.match(await page.textContent('.message'), /no snapshot named 'nothing\.heapsnapshot'/);
  assert.deepEqual(pageErrors.filter((e) => !/status of 404/.test(e)), []);
});

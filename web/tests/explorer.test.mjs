// The explorer (`heapwise open`) in a real browser (Debian's chromium,
// driven by playwright-core) on the three snapshots of a leak scenario:
// every view shows the numbers the CLI prints for the same file, trees
// expand, back/forward work, the Comparison and Leaks views name the
// planted leak, bad links say so, and requests without the token are refused.
// With HEAPWISE_SCREENSHOTS=DIR it saves a screenshot of each view there
// (docs/images holds the committed ones).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { BIN, heapwise, heapwiseJson, tempDir } from '../../tests/integration/helpers.mjs';
import { launchChromium } from './browser.mjs';

const scenarios = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../tests/scenarios');
const dir = tempDir('heapwise-explorer-');
const files = ['baseline', 'target', 'final'].map((s) => path.join(dir, `${s}.heapsnapshot`));
const shots = process.env.HEAPWISE_SCREENSHOTS;
let server, browser, page, base, token;
let serverErr = '';
const pageErrors = [];

async function show(hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await ready();
}
// The view of the current URL is on screen (a link's or history's hash
// change renders asynchronously).
async function ready() {
  await page.waitForFunction(() => document.body.dataset.state === 'ready' &&
                                   document.body.dataset.rendered === location.hash);
}
async function shot(name) {
  if (shots) await page.screenshot({ path: path.join(shots, `explorer-${name}.jpg`), type: 'jpeg', quality: 60 });
}
// The exact values (data-value) of the numeric cells of the row whose first cell matches.
function cellValues(row) {
  return row.$$eval('td.num', (tds) => tds.map((td) => Number(td.dataset.value)));
}

before(async () => {
  execFileSync(process.execPath, ['--track-heap-objects', path.join(scenarios, 'leak-http-sessions.js'), dir],
    { timeout: 120000 });
  server = spawn(BIN, ['open', '--no-browser', ...files], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', (d) => { serverErr += d; });
  for (let i = 0; i < 300 && !/serving/.test(serverErr); i++) await new Promise((r) => setTimeout(r, 100));
  const url = /serving 3 snapshots at (http:\/\/127\.0\.0\.1:\d+\/\?token=([0-9a-f]{32}))/.exec(serverErr);
  assert.ok(url, serverErr);
  [, base, token] = url;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(base);
  await ready();
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGINT');
});

test('Summary: the class rows are the summary command\'s, sorted by retained size', async () => {
  const cli = heapwiseJson(['summary', files[0], '--json', '--top', '50']);
  const rows = await page.$$('#view tbody tr.row:not(.more)[data-depth="0"]');
  assert.equal(rows.length, 50);
  for (let i = 0; i < 50; i++) {
    const name = await rows[i].$eval('td', (td) => td.dataset.class);
    const [distance, count, self, , retained] = await cellValues(rows[i]);
    const c = cli.classes[i];
    assert.deepEqual([name, distance, count, self, retained], [c.name, c.distance, c.count, c.self_size, c.retained_size]);
  }
  assert.match(await page.textContent('h2'), new RegExp(`^Summary — ${cli.class_count.toLocaleString('en-US')} classes`));
  assert.deepEqual(pageErrors, []);
});

test('Summary: filter, expand a class into its instances and an instance into its edges', async () => {
  await show('#/summary?f=2&filter=Session');
  const session = await page.$('#view tbody tr.row:not(.more)[data-depth="0"]:has(td[data-class="Session"])');
  assert.ok(session, 'the Session row');
  const cli = heapwiseJson(['summary', files[2], '--json', '--filter', '^Session$']).classes[0];
  assert.equal((await cellValues(session))[1], cli.count);
  await session.$eval('.toggle', (t) => t.click());
  await page.waitForSelector('#view tbody tr.row:not(.more)[data-depth="1"]');
  const instances = await page.$$('#view tbody tr.row:not(.more)[data-depth="1"]');
  assert.equal(instances.length, 50, 'a page of instances');
  assert.match(await page.textContent('#view tbody tr.more'), /^[\d,]+ more/);
  // The biggest first, with the retained size `show` prints.
  const id = await instances[0].getAttribute('data-id');
  const shown = heapwiseJson(['show', files[2], `@${id}`, '--json']);
  assert.equal((await cellValues(instances[0]))[4], shown.retained_size);
  await instances[0].$eval('.toggle', (t) => t.click());
  await page.waitForSelector('#view tbody tr.row:not(.more)[data-depth="2"]');
  const edges = await page.$$eval('#view tbody tr.row:not(.more)[data-depth="2"] .edge', (es) => es.map((e) => e.textContent));
  assert.ok(edges.some((e) => e.startsWith('cart')), edges.join(' '));
  await shot('summary');
  // Keyboard: ArrowLeft on the instance closes it again.
  await instances[0].focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.$$eval('#view tbody tr.row:not(.more)[data-depth="2"]', (r) => r.length), 0);
});

test('paging: a list holds at most two pages, and the start comes back', async () => {
  await show('#/summary?f=2&filter=session');  // another URL than the test before: a fresh view
  const session = await page.$('#view tbody tr.row:not(.more)[data-depth="0"]:has(td[data-class="Session"])');
  await session.$eval('.toggle', (t) => t.click());
  await page.waitForSelector('#view tbody tr.row:not(.more)[data-depth="1"]');
  const instances = () => page.$$eval('#view tbody tr.row:not(.more)[data-depth="1"]', (rows) => rows.map((r) => r.dataset.id));
  const firstPage = await instances();
  for (let k = 1; k <= 3; k++) {
    await page.click('#view tbody tr.more:not(.earlier)[data-depth="1"]');
    await page.waitForSelector(`#view tbody tr.row[data-depth="1"][data-offset="${50 * (k + 1) - 1}"]`);
  }
  // Pages 0-3 asked for; the two newest are held.
  const held = await instances();
  assert.equal(held.length, 100);
  assert.match(await page.textContent('#view tbody tr.earlier'), /^100 earlier/);
  assert.ok(!held.includes(firstPage[0]), 'the first page is gone');
  await page.click('#view tbody tr.earlier');
  // The earlier pages come back after a request: wait for the first row, not
  // only for the "earlier" row to go (the list is empty in between).
  await page.waitForFunction(() => !document.querySelector('#view tbody tr.earlier') &&
      document.querySelector('#view tbody tr.row[data-depth="1"][data-offset="0"]'));
  assert.deepEqual(await instances(), firstPage);
});

test('Object view: the numbers of `show`, retainers that expand, the dominator chain, back and forward', async () => {
  const sessions = heapwiseJson(['leaks', ...files, '--json']).leaks[0];
  const id = sessions.example_id;
  await show(`#/object?f=2&id=${id}`);
  await shot('object');
  const cli = heapwiseJson(['show', files[2], `@${id}`, '--json']);
  assert.equal(Number(await page.getAttribute('#retained-size', 'data-value')), cli.retained_size);
  assert.equal(Number(await page.getAttribute('#self-size', 'data-value')), cli.self_size);
  const chain = await page.$$eval('#dominators a', (as) => as.map((a) => Number(a.dataset.id)));
  assert.deepEqual(chain, cli.dominators.map((d) => d.id));
  assert.equal(!!(await page.$('text=allocated by')), cli.allocation_stack.length > 0, 'a stack exactly when `show` has one');
  // The retainers tree: the first retainer opens into its own retainers.
  const retainer = await page.$('h3:has-text("Retainers") + table tbody tr.row:not(.more)[data-depth="0"]');
  assert.equal(Number(await retainer.getAttribute('data-id')), cli.retainers[0].from);
  await retainer.$eval('.toggle', (t) => t.click());
  await page.waitForSelector('h3:has-text("Retainers") + table tbody tr.row:not(.more)[data-depth="1"]');
  // "Ignore this retainer": the distances skip it, so it sorts last, unreachable.
  await retainer.$eval('button.ignore', (b) => b.click());
  await ready();
  assert.match(page.url(), new RegExp(`ignore=${cli.retainers[0].from}$`));
  assert.match(await page.textContent('#ignoring'), new RegExp(`Ignoring @${cli.retainers[0].from}`));
  const ignoredRow = await page.$(`h3:has-text("Retainers") ~ table tbody tr.row[data-id="${cli.retainers[0].from}"]`);
  assert.equal((await cellValues(ignoredRow))[0], -5, 'no distance once ignored');
  await page.click('#ignoring a');
  await ready();
  // Following a link, then back and forward.
  await page.click('#dominators a >> nth=0');
  await ready();
  assert.equal(page.url().split('#')[1], `/object?f=2&id=${cli.dominators[0].id}`);
  await page.goBack();
  await ready();
  assert.equal(Number(await page.getAttribute('#retained-size', 'data-value')), cli.retained_size);
  await page.goForward();
  await ready();
  assert.match(page.url(), new RegExp(`id=${cli.dominators[0].id}$`));
  assert.deepEqual(pageErrors, []);
});

// V8's allocation tracker leaves an object untraced now and then (the leak
// report counts them), so the example above may have no stack: this shows
// one that has, found through the CLI.
test('Object view: an allocation stack, as `show` prints it', async () => {
  const sessions = heapwiseJson(['find', files[2], '--class', '^Session$', '--limit', '20', '--json']).objects;
  const traced = sessions.map((o) => heapwiseJson(['show', files[2], `@${o.id}`, '--json']))
    .find((o) => o.allocation_stack.length > 0);
  assert.ok(traced, 'one of 20 sessions has an allocation stack');
  await show(`#/object?f=2&id=${traced.id}`);
  const shown = await page.textContent('dt:has-text("allocated by") + dd pre');
  assert.equal(shown.split('\n').length, traced.allocation_stack.length);
  const lines = shown.split('\n');
  traced.allocation_stack.forEach((frame, i) => {
    const script = frame.script_name && path.basename(frame.script_name);
    const where = script ? (frame.line ? `${script}:${frame.line}` : script) : frame.function || '(anonymous)';
    assert.ok(lines[i].includes(where), `frame ${i}: '${lines[i]}' names ${where}`);
  });
});

test('Dominators: the tree from the root, as the dominators command, expandable', async () => {
  await show('#/dominators?f=2');
  await shot('dominators');
  const cli = heapwiseJson(['dominators', files[2], '--json']).tree;
  const top = await page.$$('#view tbody tr.row:not(.more)[data-depth="0"]');
  assert.equal(Number(await top[0].getAttribute('data-id')), cli.children[0].id);
  assert.equal((await cellValues(top[0]))[2], cli.children[0].retained_size);
  await top[0].$eval('.toggle', (t) => t.click());
  await page.waitForSelector('#view tbody tr.row:not(.more)[data-depth="1"]');
  const child = await page.$('#view tbody tr.row:not(.more)[data-depth="1"]');
  assert.equal(Number(await child.getAttribute('data-id')), cli.children[0].children[0].id);
});

test('Statistics and Strings: the categories of `stats`, the duplicates of `strings`', async () => {
  await show('#/statistics?f=2');
  await shot('statistics');
  const st = heapwiseJson(['stats', files[2], '--json']).statistics;
  const value = (name) => page.$eval(`tr[data-category="${name}"] td.num`, (td) => Number(td.dataset.value));
  assert.equal(await value('Code'), st.code);
  assert.equal(await value('Strings'), st.strings);
  assert.equal(await value('JS arrays'), st.js_arrays);
  assert.equal(await value('Other JS objects'), st.other_js_objects);
  await show('#/strings?f=2&q=sku-1-');
  await shot('strings');
  const dups = heapwiseJson(['strings', files[2], '--json', '--duplicates']);
  assert.match(await page.textContent('#view'), new RegExp(`Duplicated strings: ${dups.duplicated_values.toLocaleString('en-US')} values`));
  assert.match(await page.textContent('#view'), /Strings containing "sku-1-"/);
});

test('Comparison and Leaks name the planted leak; the leak links to its holder', async () => {
  await show('#/comparison?f=1&base=0');
  await shot('comparison');
  const diff = heapwiseJson(['diff', files[0], files[1], '--json']).classes.find((c) => c.name === 'Session');
  const row = await page.$('#view tbody tr.row:not(.more):has(td[data-class="Session"])');
  const [fresh, deleted, delta] = await cellValues(row);
  assert.deepEqual([fresh, deleted, delta], [diff.new, diff.deleted, diff.count_delta]);
  await row.$eval('.toggle', (t) => t.click());
  await page.waitForSelector('#view tbody tr.row:not(.more)[data-depth="1"]');

  await show('#/leaks');
  await shot('leaks');
  const report = heapwiseJson(['leaks', ...files, '--json']);
  const first = await page.$('.finding');
  assert.equal(await first.getAttribute('data-class'), report.leaks[0].class);
  assert.match(await first.textContent(), /'sessions'/);
  await first.$eval('a.holder', (a) => a.click());
  await ready();
  assert.match(await page.textContent('h2'), /^Map /);
  assert.deepEqual(pageErrors, []);
});

test('search, a bad id and a stale link say so; requests without the token are refused', async () => {
  await page.fill('#q', 'Session');
  await page.press('#q', 'Enter');
  await ready();
  assert.ok(await page.$('#view a[href*="filter=Session"]'), 'the class is found');
  await show('#/object?f=2&id=@999999999');
  assert.match(await page.textContent('.message'), /no object has id @999999999/);
  await show('#/object?f=7&id=1');
  assert.match(await page.textContent('.message'), /there is no file 7/);
  await show('#/nowhere');
  assert.match(await page.textContent('.message'), /no view 'nowhere'/);
  // Without the token (no cookie, none in the URL): 403.
  const bare = await fetch(base.replace(/\?token=.*/, 'api/files'));
  assert.equal(bare.status, 403);
  const wrong = await fetch(base.replace(/\?token=.*/, 'api/files'), { headers: { Authorization: 'Bearer 00' } });
  assert.equal(wrong.status, 403);
  const right = await fetch(base.replace(/\?token=.*/, 'api/files'), { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(right.status, 200);
  assert.deepEqual(pageErrors.filter((e) => !/status of 40[04]/.test(e)), []);
});

test('a file that fails to load: exit 3, one line, nothing served', () => {
  const bad = path.join(dir, 'truncated.heapsnapshot');
  fs.writeFileSync(bad, fs.readFileSync(files[0]).subarray(0, 5000));
  const r = heapwise(['open', '--no-browser', files[0], bad]);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /^heapwise: .*truncated\.heapsnapshot: byte \d+: .+\n$/);
  assert.doesNotMatch(r.stderr, /serving/);
});

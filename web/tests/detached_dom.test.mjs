// Detached DOM in a real browser: a page built here (Debian's chromium,
// driven by playwright-core) removes rows from the document but keeps them
// in the array `window.cache`, 300 more at every step, and keeps a fixed
// set of list items in a Map inside a closure. Three heap snapshots come
// over the DevTools protocol; the findings must name each JavaScript holder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { heapwise, heapwiseJson, tempDir } from '../../tests/integration/helpers.mjs';
import { launchChromium } from './browser.mjs';

const dir = tempDir('heapwise-detached-dom-');
const files = ['baseline', 'target', 'final'].map((s) => path.join(dir, `${s}.heapsnapshot`));
let browser;

const PAGE = `<!doctype html><html><body><div id="list"></div><ul id="menu"></ul><script>
window.cache = [];
function addRows(n) {
  const list = document.getElementById('list');
  for (let i = 0; i < n; i++) {
    const row = document.createElement('div');
    row.className = 'row';
    row.innerHTML = '<span class="name">row ' + i + '</span><button>remove</button>';
    list.appendChild(row);
    cache.push(row);        // the leak: kept after it leaves the page
    row.remove();
  }
}
const menu = (() => {
  const byId = new Map();   // 50 items, removed and kept, but no more over time
  const ul = document.getElementById('menu');
  for (let i = 0; i < 50; i++) {
    const li = document.createElement('li');
    li.textContent = 'item ' + i;
    ul.appendChild(li);
    byId.set(i, li);
    li.remove();
  }
  return { size: () => byId.size };
})();
</script></body></html>`;

before(async () => {
  browser = await launchChromium();
  const page = await browser.newPage();
  await page.setContent(PAGE);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  for (const file of files) {
    if (file !== files[0]) await page.evaluate(() => addRows(300));
    const chunks = [];
    const onChunk = (e) => chunks.push(e.chunk);
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    fs.writeFileSync(file, chunks.join(''));
  }
});

after(async () => {
  if (browser) await browser.close();
});

test('leaks: the growing detached trees are named by the array that keeps them', () => {
  const r = heapwiseJson(['leaks', ...files, '--json']);
  const top = r.leaks[0];
  assert.equal(top.pattern.pattern, 'detached-dom', JSON.stringify(top.pattern));
  assert.equal(top.pattern.name, 'window.cache');
  assert.equal(top.pattern.kind, 'Array');
  assert.deepEqual(top.population, [0, 300, 600]);
  assert.match(top.pattern.title, /^Array 'window\.cache' keeps 600 detached <div class="row"> trees \(\d/);
  assert.match(top.pattern.example, /window\.cache\.splice\(i, 1\)/);
  // The closure's Map of list items does not grow: it is no leak.
  assert.ok(!r.leaks.some((l) => l.pattern?.name === 'byId'), JSON.stringify(r.leaks.map((l) => l.pattern?.title)));
  const text = heapwise(['leaks', ...files]).stdout;
  assert.match(text, /held by {3}'window\.cache': Array @\d+ with 600 entries/);
});

test('stats: detached trees grouped by their holder, each named', () => {
  const j = heapwiseJson(['stats', files[2], '--json']);
  const dom = j.suspects.filter((s) => s.pattern === 'detached-dom');
  const cache = dom.find((s) => s.name === 'window.cache');
  assert.ok(cache, JSON.stringify(dom.map((s) => s.title)));
  assert.match(cache.title, /^Array 'window\.cache' keeps 600 detached <div class="row"> trees removed from the page$/);
  const items = dom.find((s) => s.name === 'byId');
  assert.ok(items, JSON.stringify(dom.map((s) => s.title)));
  assert.match(items.title, /^Map 'byId' keeps 50 detached <li> trees removed from the page$/);
  assert.match(items.fix, /byId\.delete\(el\)|WeakMap/);
});

// The explorer at scale: `heapwise open FILE` on a big snapshot, then the
// requests its page makes while a user clicks around (the Summary, a class's
// instances, objects with their edges and retainers, the dominator tree,
// Statistics, strings, search), each timed. Prints the median and 99th
// percentile per kind and overall, the server's peak RSS after loading and
// at the end, and the `summary` command's peak RSS on the same file.
//   node bench/explorer-requests.mjs FILE.heapsnapshot [ROUNDS]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const file = process.argv[2];
const rounds = Number(process.argv[3] || 20);
if (!file) {
  console.error('usage: node bench/explorer-requests.mjs FILE.heapsnapshot [ROUNDS]');
  process.exit(2);
}
const bin = process.env.HEAPWISE_BIN || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../build/heapwise');

function peakRss(pid) {
  return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
}
const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;

// The summary command's peak RSS, for comparison (GNU time's %M is KiB).
const timed = spawnSync('/usr/bin/time', ['-f', '%M %e', bin, 'summary', file, '--top', '1'],
  { stdio: ['ignore', 'ignore', 'pipe'] }).stderr.toString().trim().split('\n').pop().split(' ');
const summaryPeak = Number(timed[0]) * 1024;
console.log(`summary command: ${timed[1]} s, peak RSS ${mib(summaryPeak)}`);

const started = Date.now();
const server = spawn(bin, ['open', '--no-browser', file], { stdio: ['ignore', 'ignore', 'pipe'] });
let err = '';
server.stderr.on('data', (d) => { err += d; });
while (!/serving/.test(err)) {
  if (server.exitCode !== null) throw new Error(err);
  await new Promise((r) => setTimeout(r, 100));
}
const [, base, token] = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)/.exec(err);
const loadedPeak = peakRss(server.pid);
console.log(`open: loaded in ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${mib(loadedPeak)}`);

const times = new Map();
async function ask(kind, query, params = {}) {
  const t = process.hrtime.bigint();
  const r = await fetch(`${base}/api/${query}?${new URLSearchParams(params)}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await r.json();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!r.ok) throw new Error(`${query}: ${body.error}`);
  if (!times.has(kind)) times.set(kind, []);
  times.get(kind).push(ms);
  return body;
}

const summary = await ask('summary', 'summary', { limit: 50 });
for (let round = 0; round < rounds; round++) {
  await ask('summary', 'summary', { limit: 50, offset: 50 * (round % 4) });
  await ask('summary (filtered)', 'summary', { limit: 50, filter: ['Map', 'Arr', 'Obj', 'str'][round % 4] });
  const cls = summary.classes[round % summary.classes.length];
  const inst = await ask('instances', 'instances', { row: cls.row, limit: 50 });
  for (const o of inst.instances.slice(0, 3)) {
    await ask('object', 'object', { id: o.id });
    await ask('edges', 'edges', { id: o.id, limit: 50 });
    await ask('retainers', 'retainers', { id: o.id, limit: 50 });
  }
  const dom = await ask('dominated', 'dominated', { limit: 50 });
  if (dom.children[round % dom.children.length]) await ask('dominated', 'dominated', { id: dom.children[round % dom.children.length].id, limit: 50 });
  await ask('statistics', 'statistics');
  await ask('strings', 'strings', { limit: 50 });
  await ask('search', 'search', { q: cls.name.slice(0, 4) || 'Map' });
}

const all = [];
const pct = (list, p) => list[Math.min(list.length - 1, Math.floor(p * list.length))];
console.log('\nrequest kind            count   median      p99      max');
for (const [kind, list] of times) {
  list.sort((a, b) => a - b);
  all.push(...list);
  console.log(`${kind.padEnd(22)} ${String(list.length).padStart(6)} ${pct(list, 0.5).toFixed(1).padStart(8)} ms ${pct(list, 0.99).toFixed(1).padStart(7)} ms ${list[list.length - 1].toFixed(1).padStart(7)} ms`);
}
all.sort((a, b) => a - b);
console.log(`${'all'.padEnd(22)} ${String(all.length).padStart(6)} ${pct(all, 0.5).toFixed(1).padStart(8)} ms ${pct(all, 0.99).toFixed(1).padStart(7)} ms ${all[all.length - 1].toFixed(1).padStart(7)} ms`);
const endPeak = peakRss(server.pid);
console.log(`\nserver peak RSS at the end ${mib(endPeak)} = ${(100 * endPeak / summaryPeak).toFixed(0)}% of the summary command's peak`);
server.kill('SIGINT');

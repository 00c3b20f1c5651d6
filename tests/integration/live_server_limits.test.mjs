// `heapwise watch --listen` under hostile clients, with a real node target:
// slow clients (slow-loris) and idle connections cannot keep a normal
// request from an answer within 2 s, oversized headers get 431, captures
// on request are one at a time (409) and rationed (429 with Retry-After), a
// capture that would not fit on disk is refused before it starts, and a
// flood of 10,000 requests meets 429s while heapwise's RSS stays flat.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { BIN, FIXTURES, tempDir, waitFor } from './helpers.mjs';

const dir = tempDir('heapwise-limits-');
const children = [];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts a watch with --listen on a fresh target; returns what a client needs.
async function startWatch(name, extra = []) {
  const target = spawn(process.execPath, ['--inspect=127.0.0.1:0', path.join(FIXTURES, 'live-target.js'), '20000'],
                       { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(target);
  let targetErr = '';
  target.stderr.on('data', (d) => { targetErr += d; });
  const url = (await waitFor(() => targetErr, /Debugger listening on (ws:\/\/\S+)/, 20))[1];
  const snapshotDir = path.join(dir, name);
  const watch = spawn(BIN, ['watch', '--url', url, '--interval', '500ms', '--snapshot-dir', snapshotDir,
                            '--listen', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(watch);
  const w = { watch, snapshotDir, err: '' };
  watch.stderr.on('data', (d) => { w.err += d; });
  [, w.base, w.token] = await waitFor(() => w.err, /serving (http:\/\/127\.0\.0\.1:(?:\d+))\/\?token=([0-9a-f]{32}) /, 20);
  w.port = Number(new URL(w.base).port);
  await waitFor(() => w.err, /watching /, 20);
  return w;
}

async function request(w, pathname, init = {}) {
  const started = Date.now();
  const r = await fetch(w.base + pathname,
                        { ...init, headers: { ...(init.headers || {}), Authorization: `Bearer ${w.token}` } });
  return { status: r.status, headers: r.headers, text: await r.text(), ms: Date.now() - started };
}

function rssKb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

let w;
before(async () => { w = await startWatch('main'); });

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

test('slow-loris: 40 clients trickling headers do not keep a normal request waiting', async () => {
  const slow = [];
  let cutOff = 0;
  for (let i = 0; i < 40; i++) {
    const sock = net.connect(w.port, '127.0.0.1');
    sock.on('error', () => {});
    sock.on('close', () => { cutOff += 1; });
    sock.write(`GET /memory/stats HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\n`);
    slow.push(sock);
  }
  const trickle = setInterval(() => {
    for (const s of slow) if (!s.destroyed) s.write(`X-Slow: ${Date.now()}\r\n`);
  }, 3000);
  try {
    // Throughout the time the slow clients are allowed (10 s per request).
    for (let i = 0; i < 12; i++) {
      const r = await request(w, '/memory/stats');
      assert.equal(r.status, 200);
      assert.ok(r.ms < 2000, `answered in ${r.ms} ms with 40 slow clients`);
      await sleep(1000);
    }
    // And they are cut off rather than held for as long as they trickle.
    await waitFor(() => String(cutOff), /^40$/, 5);
  } finally {
    clearInterval(trickle);
    for (const s of slow) s.destroy();
  }
});

test('past the connection cap, the longest-waiting connection makes room for a new client', async () => {
  const idle = [];
  for (let i = 0; i < 200; i++) {
    const sock = net.connect(w.port, '127.0.0.1');
    sock.on('error', () => {});
    idle.push(sock);
  }
  await Promise.all(idle.map((s) => new Promise((r) => (s.connecting ? s.once('connect', r) : r()))));
  await sleep(300);
  try {
    const r = await request(w, '/memory/stats');
    assert.equal(r.status, 200);
    assert.ok(r.ms < 2000, `answered in ${r.ms} ms with 200 idle connections`);
    assert.ok(idle.filter((s) => s.destroyed || s.readableEnded).length >= 60, 'the oldest idle ones were closed');
  } finally {
    for (const s of idle) s.destroy();
  }
});

test('request headers past 8 KB: 431 and the connection closed', async () => {
  const r = await request(w, '/memory/stats', { headers: { 'X-Big': 'x'.repeat(10000) } });
  assert.equal(r.status, 431);
  assert.match(JSON.parse(r.text).error, /headers too large/);
});

test('captures on request: one at a time (409), then rationed (429 with Retry-After)', async () => {
  const [a, b] = await Promise.all([request(w, '/memory/snapshot', { method: 'POST' }),
                                    request(w, '/memory/snapshot', { method: 'POST' })]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [200, 409], `${a.text} ${b.text}`);
  assert.match((a.status === 409 ? a : b).text, /already in progress/);
  const taken = JSON.parse((a.status === 200 ? a : b).text);
  assert.ok(fs.statSync(path.join(w.snapshotDir, taken.file)).size > 1e5);
  const c = await request(w, '/memory/snapshot', { method: 'POST' });
  assert.equal(c.status, 429);
  const body = JSON.parse(c.text);
  const retry = Number(c.headers.get('retry-after'));
  // By default the interval is 20 times the last capture's duration, 30 s at least.
  const interval = Number(/rationed to one per (\d+) s \(--capture-interval\); try again in \d+ s/.exec(body.error)?.[1]);
  assert.equal(interval, Math.max(30, Math.ceil(taken.seconds * 20)), body.error);
  assert.ok(retry >= interval - 5 && retry <= interval, `Retry-After ${retry} of ${interval}`);
  assert.equal(body.retry_after_seconds, retry);
  assert.equal(fs.readdirSync(w.snapshotDir).length, 1, 'one snapshot, nothing queued');
});

test('a capture that would not fit the disk budget is refused before it starts', async () => {
  const tight = await startWatch('tight', ['--disk-budget', '100k']);
  const r = await request(tight, '/memory/snapshot', { method: 'POST' });
  assert.equal(r.status, 409);
  assert.match(JSON.parse(r.text).error, /a snapshot of about \S+ \S+ would not fit in --disk-budget 100 KiB/);
  assert.deepEqual(fs.readdirSync(tight.snapshotDir), [], 'no file, not even a partial one');
  tight.watch.kill('SIGINT');
});

test('a flood of 10,000 requests: 429 with Retry-After past the rate, and heapwise\'s RSS stays flat', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const counts = {};
  let retryAfter = null;
  const one = () => new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: w.port, path: '/memory/report', agent,
                           headers: { Authorization: `Bearer ${w.token}` } }, (res) => {
      counts[res.statusCode] = (counts[res.statusCode] || 0) + 1;
      if (res.statusCode === 429) retryAfter = res.headers['retry-after'];
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
  const run = async (n) => {
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => { while (next++ < n) await one(); }));
  };
  await run(1000);
  const before = rssKb(w.watch.pid);
  await run(10000);
  const grown = rssKb(w.watch.pid) - before;
  agent.destroy();
  assert.ok(counts[200] >= 200 && counts[429] > 1000, JSON.stringify(counts));
  console.log(`# ${JSON.stringify(counts)}; RSS grew ${grown} KB`);
  assert.ok(Number(retryAfter) >= 1, `Retry-After ${retryAfter}`);
  // Under AddressSanitizer freed memory waits in its quarantine (up to 256 MB),
  // so RSS says nothing there; LeakSanitizer checks at the exit below instead.
  if (!process.env.ASAN_OPTIONS) assert.ok(grown < 2048, `RSS grew ${grown} KB over 10,000 requests`);
  const exited = new Promise((resolve) => w.watch.on('close', resolve));
  w.watch.kill('SIGINT');
  assert.equal(await exited, 0, w.err);
});

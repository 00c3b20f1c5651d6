// `heapwise watch` against real node processes (short intervals): a leaking
// service is flagged, a steady one that churns garbage raises nothing, and
// the run ends cleanly with a summary when the target exits. The tests wait
// on the clock far more than they compute, so they run side by side.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { BIN, FIXTURES, heapwise, tempDir } from './helpers.mjs';

const dir = tempDir('heapwise-watch-');
const fast = ['--interval', '250ms', '--window', '5s', '--warmup', '10s', '--json'];

// Runs watch on `node SCRIPT` until `stopWhen(stderrSoFar)` or `seconds`; then SIGINT.
function watch(script, seconds, events, stopWhen = () => false) {
  return new Promise((resolve) => {
    const child = spawn(BIN, ['watch', ...fast, '--events', events, '--', process.execPath, path.join(FIXTURES, script)],
                        { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    const started = Date.now();
    const stop = () => child.kill('SIGINT');
    const timer = setTimeout(stop, seconds * 1000);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stopWhen(stderr)) stop();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

describe('watch', { concurrency: true }, () => {
  test('a leaking service is flagged within 2 minutes of sampling', async () => {
    const events = path.join(dir, 'leak.jsonl');
    const r = await watch('watch-leak.js', 120, events, (err) => /ALERT leak-trend/.test(err));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /ALERT leak-trend: heap after GC grows [\d.]+ MB\/min/);
    assert.ok(r.seconds < 120, `flagged after ${r.seconds} s`);
    const lines = fs.readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const alert = lines.find((e) => e.type === 'leak-trend');
    assert.ok(alert.slope_bytes_per_second > 0 && alert.p_value < 0.01 && alert.confidence > 0.99);
    const summary = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    assert.equal(summary.ended, 'stopped');
    assert.ok(summary.samples > 10);
    assert.equal(summary.trend.leak, true);
  });

  test('a steady service that churns garbage raises no alarm', async () => {
    const events = path.join(dir, 'steady.jsonl');
    const r = await watch('watch-steady.js', 100, events);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /ALERT/);
    const summary = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    assert.equal(summary.trend.enough_data, true, JSON.stringify(summary.trend));
    assert.equal(summary.trend.leak, false);
    assert.equal(summary.alerts, 0);
    assert.ok(!fs.existsSync(events) || fs.readFileSync(events, 'utf8') === '');
  });

  test('watch ends with a summary when the target exits, and thresholds alert', async () => {
    const script = path.join(dir, 'short.js');
    fs.writeFileSync(script, "const a = []; const t = setInterval(() => a.push('x'.repeat(1e5) + Math.random()), 20);\n" +
                             'setTimeout(() => { clearInterval(t); }, 2500);\n');
    const r = heapwise(['watch', '--interval', '200ms', '--max-heap', '1MB', '--json', '--', process.execPath, script],
                       { timeout: 30000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /ALERT max-heap: heap used .* is above 1.00 MiB/);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.ended, 'target-exited');
    assert.ok(summary.samples >= 3);
  });

  test('watch: unreachable targets exit 4', () => {
    assert.equal(heapwise(['watch', '--inspect', '127.0.0.1:1']).status, 4);
    assert.equal(heapwise(['watch', '--pid', '999999999']).status, 4);
    assert.equal(heapwise(['watch', '--', 'sleep', '1']).status, 4);
    assert.equal(heapwise(['watch']).status, 2);
  });

  test('--hunt captures three snapshots over one session and names the planted leak and where it was allocated', async () => {
    const snapshots = path.join(dir, 'hunt');
    const r = await new Promise((resolve) => {
      const child = spawn(BIN, ['watch', '--interval', '250ms', '--window', '5s', '--warmup', '10s', '--hunt',
                                '--hunt-allocations', '--hunt-interval', '2s', '--snapshot-dir', snapshots, '--once', '--',
                                process.execPath, path.join(FIXTURES, 'watch-leak.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      const timer = setTimeout(() => child.kill('SIGINT'), 150000);
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /leak suspected: capturing 3 heap snapshots/);
    const files = fs.readdirSync(snapshots).filter((f) => f.endsWith('.heapsnapshot'));
    assert.equal(files.length, 3);
    assert.ok(!fs.readdirSync(snapshots).some((f) => f.endsWith('.partial')));
    assert.match(r.stdout, /#1 {2}\{s\}: \+/);
    assert.match(r.stdout, /what {6}Array 'leaked' only grows/);
    assert.match(r.stdout, /held by {3}'leaked': Array @\d+ with [\d,]+ entries\n {14}declared at \S*watch-leak\.js:4:7\n/);
    // Tracked from the first snapshot on: the leaked objects carry the stack
    // of the interval callback that allocates them.
    assert.match(r.stderr, /allocation tracking on until the last snapshot/);
    assert.match(r.stdout, /allocated +\d+% +\S+ \(\S*watch-leak\.js:5:\d+\)/);
  });
});

// `heapwise snapshot` against real node processes: by --inspect, by --pid of
// a process started without --inspect, a capture cut short by the target's
// death (no file left), and unreachable targets (exit 4).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import test from 'node:test';

import { BIN, FIXTURES, heapwise, heapwiseJson, tempDir, waitFor, writingUnnamedFile } from './helpers.mjs';

const dir = tempDir('heapwise-live-');
const targetScript = path.join(FIXTURES, 'live-target.js');

// Starts a target; resolves once it printed "ready" (and, with --inspect, its port).
function startTarget(nodeArgs, records = 20000) {
  const opensInspector = nodeArgs.some((a) => a.startsWith('--inspect='));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, targetScript, String(records)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    const done = () => {
      const port = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr)?.[1];
      if (stdout.includes('ready') && (!opensInspector || port)) resolve({ child, port, stderr: () => stderr });
    };
    child.stdout.on('data', (d) => { stdout += d; done(); });
    child.stderr.on('data', (d) => { stderr += d; done(); });
    child.on('error', reject);
    setTimeout(() => reject(new Error(`target did not start: ${stderr}`)), 15000);
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('snapshot by --inspect: the file loads and has a plausible node count', async () => {
  const t = await startTarget(['--inspect=127.0.0.1:0']);
  try {
    const out = path.join(dir, 'inspect.heapsnapshot');
    const r = heapwise(['snapshot', '--inspect', `127.0.0.1:${t.port}`, '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*inspect\.heapsnapshot/);
    assert.ok(!fs.existsSync(`${out}.partial`));
    const stats = heapwiseJson(['stats', '--json', out]);
    assert.ok(stats.node_count > 20000 * 2, `node count ${stats.node_count}`);
    const rec = heapwiseJson(['find', out, '--string', 'record 19999', '--json']);
    assert.equal(rec.matches, 1);
  } finally {
    t.child.kill('SIGKILL');
  }
});

test('a link planted as FILE.partial is never written through: captures write an unnamed file', async () => {
  const t = await startTarget(['--inspect=127.0.0.1:0']);
  try {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    const out = path.join(dir, 'planted.heapsnapshot');
    fs.symlinkSync(victim, `${out}.partial`);
    const r = heapwise(['snapshot', '--inspect', `127.0.0.1:${t.port}`, '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
    assert.ok(fs.lstatSync(out).isFile() && fs.statSync(out).size > 1e5);
    assert.ok(fs.lstatSync(`${out}.partial`).isSymbolicLink(), 'the planted link is left as it was');
    fs.unlinkSync(`${out}.partial`);
    // A link planted under the final name is replaced, its target untouched.
    fs.unlinkSync(out);
    fs.symlinkSync(victim, out);
    const again = heapwise(['snapshot', '--inspect', `127.0.0.1:${t.port}`, '-o', out]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
    assert.ok(fs.lstatSync(out).isFile(), 'the link was replaced by the snapshot');
  } finally {
    t.child.kill('SIGKILL');
  }
});

// Targets that SIGUSR1 opens take a free port, not 9229, so tests running side
// by side never meet on one port (stress run 11 of 20 met one there).
test('snapshot by --pid of a process started without --inspect; the port is closed again', async () => {
  const t = await startTarget(['--inspect-port=127.0.0.1:0']);
  try {
    const out = path.join(dir, 'pid.heapsnapshot');
    const r = heapwise(['snapshot', '--pid', String(t.child.pid), '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(heapwiseJson(['stats', '--json', out]).node_count > 40000);
    // The target's stderr reaches us once our event loop runs (spawnSync above blocked it).
    const port = Number((await waitFor(t.stderr, /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//, 20))[1]);
    assert.ok(alive(t.child.pid), 'the target lives on');
    assert.ok(port > 0, 'opened on loopback');
    // ...and closed again: nothing listens there any more.
    const refused = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('connect', () => { socket.destroy(); resolve(false); });
      socket.on('error', () => resolve(true));
    });
    assert.ok(refused, `the inspector port ${port} is closed again`);
  } finally {
    t.child.kill('SIGKILL');
  }
});

test('a capture cut short by killing the target leaves no file', async () => {
  const t = await startTarget(['--inspect=127.0.0.1:0'], 1500000);
  const out = path.join(dir, 'killed.heapsnapshot');
  const capture = spawn(BIN, ['snapshot', '--inspect', `127.0.0.1:${t.port}`, '-o', out], { stdio: 'pipe' });
  let stderr = '';
  capture.stderr.on('data', (d) => { stderr += d; });
  // Kill the target once the capture has begun (heapwise holds the unnamed file open).
  await new Promise((resolve) => {
    const poll = setInterval(() => {
      if (writingUnnamedFile(capture.pid, dir)) {
        clearInterval(poll);
        t.child.kill('SIGKILL');
        resolve();
      }
    }, 20);
  });
  // 'close', not 'exit': at 'exit' the child's last stderr may not have been read yet.
  const code = await new Promise((resolve) => capture.on('close', resolve));
  assert.equal(code, 4, stderr);
  assert.match(stderr, /no file written/);
  assert.ok(!fs.existsSync(out), 'no snapshot');
  assert.ok(!fs.existsSync(`${out}.partial`), 'no partial file');
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('killed')), []);
});

test('unreachable targets: exit 4 with the reason, and nothing is signalled blindly', () => {
  const sleeper = spawn('sleep', ['30']);
  try {
    const refused = heapwise(['snapshot', '--pid', String(sleeper.pid), '-o', path.join(dir, 'x.heapsnapshot')]);
    assert.equal(refused.status, 4);
    assert.match(refused.stderr, /does not handle SIGUSR1/);
    assert.ok(alive(sleeper.pid), 'the non-node process was not killed');
  } finally {
    sleeper.kill();
  }
  const missing = heapwise(['snapshot', '--pid', '999999999']);
  assert.equal(missing.status, 4);
  assert.match(missing.stderr, /no process with PID/);
  const closed = heapwise(['snapshot', '--inspect', '127.0.0.1:1']);
  assert.equal(closed.status, 4);
  assert.match(closed.stderr, /no V8 inspector answers at 127\.0\.0\.1:1/);
  const usage = heapwise(['snapshot', '--pid', '1', '--inspect', '127.0.0.1:9229']);
  assert.equal(usage.status, 2);
  assert.ok(!spawnSync('ls', [dir]).stdout.toString().includes('.partial'));
});

test('profile: records a sampling profile by --pid; reading it names the allocating function', async () => {
  // No inlining: an optimised caller would report makeRecord's allocations as its own.
  const child = spawn(process.execPath, ['--inspect-port=127.0.0.1:0', '--no-turbo-inlining',
                                         path.join(FIXTURES, 'allocating-target.js')],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  try {
    const out = path.join(dir, 'alloc.heapprofile');
    const r = heapwise(['profile', '--pid', String(child.pid), '--duration', '1500ms', '--interval', '4096', '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!fs.existsSync(`${out}.partial`));
    // DevTools' format: a "head" call tree with samples.
    const raw = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.ok(raw.head && Array.isArray(raw.samples));
    const flame = path.join(dir, 'flame.html');
    const collapsed = path.join(dir, 'stacks.txt');
    const read = heapwiseJson(['profile', out, '--json', '--flamegraph', flame, '--collapsed', collapsed]);
    assert.ok(read.total_size > 0);
    const fn = read.functions.find((f) => f.function === 'makeRecord');
    assert.ok(fn, JSON.stringify(read.functions.slice(0, 5)));
    assert.match(fn.url, /allocating-target\.js$/);
    assert.equal(fn.line, 5);
    assert.match(fs.readFileSync(flame, 'utf8'), /<svg[\s\S]*makeRecord/);
    assert.match(fs.readFileSync(collapsed, 'utf8'), /;makeRecord(;\S+)? \d+\n/);
    assert.ok(alive(child.pid));
  } finally {
    child.kill('SIGKILL');
  }
  const bad = heapwise(['profile', path.join(FIXTURES, 'weak-only.heapsnapshot')]);
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /not a heap profile/);
});

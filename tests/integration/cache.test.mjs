// The binary cache (docs/cache.md): a second command on an unchanged file
// reads the cache entry and answers exactly as a fresh analysis; a stale,
// truncated, damaged or unwritable cache is reported in one line and never
// changes an answer; concurrent writers leave one whole entry; the directory
// stays under its limit; `heapwise cache` lists and clears it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, FIXTURES, heapwise, tempDir } from './helpers.mjs';

const FIVE_NODES = path.join(FIXTURES, 'five-nodes.heapsnapshot');
const APP = path.join(FIXTURES, 'plain-app.heapsnapshot.gz');

// Runs heapwise with its cache in `home`/heapwise; HEAPWISE_TIMINGS shows whether it was read.
function run(home, args, env = {}) {
  const r = heapwise(args, { env: { XDG_CACHE_HOME: home, HEAPWISE_TIMINGS: '1', ...env } });
  assert.equal(r.status, 0, `heapwise ${args.join(' ')}: ${r.stderr}`);
  return { ...r, hit: /phase cache read/.test(r.stderr), notes: r.stderr.split('\n').filter((l) => l && !/^heapwise: (phase|graph|huge pages) /.test(l)) };
}

function entries(home) {
  const dir = path.join(home, 'heapwise');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

function fresh(args) {
  return run(tempDir(), [...args, '--no-cache']).stdout;
}

test('a second command reads the entry and answers as a fresh analysis, for every command and fixture', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => /\.heapsnapshot(\.gz)?$/.test(f)).map((f) => path.join(FIXTURES, f));
  for (const file of files) {
    const home = tempDir();
    for (const args of [['summary', '--json'], ['stats', '--json'], ['dominators', '--json', '--depth', '3'], ['nodes'],
                        ['strings', '--duplicates', '--json'], ['summary']]) {
      const first = run(home, [...args, file]);
      const second = run(home, [...args, file]);
      assert.equal(second.hit, true, `${args[0]} ${file} did not read the cache`);
      assert.deepEqual(second.notes, []);
      assert.equal(second.stdout, first.stdout, `${args.join(' ')} ${file}`);
      assert.equal(second.stdout, fresh([...args, file]), `${args.join(' ')} ${file} without the cache`);
    }
    assert.equal(entries(home).length, 1, 'one entry per snapshot');
    const mode = fs.statSync(entries(home)[0]).mode & 0o777;
    assert.equal(mode, 0o600, 'entries hold heap contents: owner only');
  }
});

test('an entry written by a command that never asked for the class aggregates holds them', () => {
  // The aggregates and statistics are computed on first use; `nodes` uses
  // neither, so its entry must compute them before it is written.
  for (const file of [APP, FIVE_NODES]) {
    const home = tempDir();
    run(home, ['nodes', file]);
    for (const args of [['summary', '--json'], ['stats', '--json']]) {
      const cached = run(home, [...args, file]);
      assert.equal(cached.hit, true, `${args[0]} ${file} did not read the cache`);
      assert.equal(cached.stdout, fresh([...args, file]), `${args.join(' ')} ${file}`);
    }
  }
});

test('the entry is written once the answer is out, and a file named twice is analysed once', () => {
  const home = tempDir();
  const r = run(home, ['diff', APP, APP]);
  assert.equal((r.stderr.match(/phase parse/g) || []).length, 1, r.stderr);
  // The write comes last, after the command has answered.
  assert.match(r.stderr.trimEnd().split('\n').pop(), /phase cache write/);
  assert.equal(entries(home).length, 1);
  assert.equal(run(home, ['diff', APP, APP]).stdout, r.stdout);
});

test('--no-cache neither reads nor writes an entry', () => {
  const home = tempDir();
  const r = run(home, ['summary', '--no-cache', FIVE_NODES]);
  assert.equal(r.hit, false);
  assert.deepEqual(entries(home), []);
});

test('a file rewritten with the same size and time is analysed again', () => {
  const home = tempDir();
  const file = path.join(tempDir(), 'five.heapsnapshot');
  fs.copyFileSync(FIVE_NODES, file);
  fs.utimesSync(file, 1700000000, 1700000000);  // whole seconds: set again exactly below
  const before = run(home, ['summary', '--json', file]);
  const stat = fs.statSync(file);
  const text = fs.readFileSync(file, 'utf8');
  const changed = text.replace(',3,2,5,40,1,0,0', ',3,2,5,48,1,0,0');
  assert.notEqual(changed, text);
  assert.equal(changed.length, text.length);
  fs.writeFileSync(file, changed);
  fs.utimesSync(file, 1700000000, 1700000000);
  assert.equal(fs.statSync(file, { bigint: true }).mtimeNs, 1700000000000000000n, "same size, same time");
  const after = run(home, ['summary', '--json', file]);
  assert.equal(after.hit, false);
  assert.deepEqual(after.notes, [`heapwise: ${file}: it changed since its cache entry was written; analysing it again`]);
  assert.notEqual(after.stdout, before.stdout);
  assert.equal(after.stdout, fresh(['summary', '--json', file]));
  assert.equal(run(home, ['summary', '--json', file]).hit, true, 'the entry was rebuilt');
});

test('a truncated or damaged entry is reported in one line and never changes an answer', () => {
  const expected = fresh(['summary', '--json', APP]);
  const damages = {
    truncated: (b) => b.subarray(0, Math.floor(b.length / 2)),
    empty: () => Buffer.alloc(0),
    'flipped byte in the payload': (b) => { b[Math.floor(b.length * 0.7)] ^= 0x40; return b; },
    'flipped byte in the last array': (b) => { b[b.length - 3] ^= 1; return b; },
    'flipped byte in the header': (b) => { b[20] ^= 1; return b; },
    'huge array length': (b) => { b.writeBigUInt64LE(0xffffffffffffn, 96); return b; },
    'appended bytes': (b) => Buffer.concat([b, Buffer.from('extra')]),
    'not an entry': () => Buffer.from('hello, cache'),
  };
  for (const [name, damage] of Object.entries(damages)) {
    const home = tempDir();
    run(home, ['summary', '--json', APP]);
    const [entry] = entries(home);
    fs.writeFileSync(entry, damage(fs.readFileSync(entry)));
    const r = run(home, ['summary', '--json', APP]);
    assert.equal(r.hit, false, name);
    assert.equal(r.notes.length, 1, `${name}: ${r.stderr}`);
    assert.match(r.notes[0], /^heapwise: the cache entry of .* is unusable: .*; analysing the file again$/, name);
    assert.equal(r.stdout, expected, name);
    const again = run(home, ['summary', '--json', APP]);
    assert.equal(again.hit, true, `${name}: rebuilt`);
    assert.equal(again.stdout, expected, name);
  }
});

// Runs `bin` without waiting (for concurrent runs).
function start(bin, args, env) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('an entry written by another build of heapwise is not used', async () => {
  const home = tempDir();
  run(home, ['summary', FIVE_NODES]);
  const other = path.join(tempDir(), 'heapwise');
  fs.copyFileSync(BIN, other);
  fs.chmodSync(other, 0o755);
  const r = await start(other, ['summary', FIVE_NODES], { XDG_CACHE_HOME: home });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, `heapwise: ${FIVE_NODES}: its cache entry was written by another build of heapwise; analysing it again\n`);
});

test('processes writing the same entry at once leave one whole entry', async () => {
  const home = tempDir();
  const expected = fresh(['summary', '--json', APP]);
  const runs = await Promise.all([1, 2, 3, 4].map(() => start(BIN, ['summary', '--json', APP], { XDG_CACHE_HOME: home })));
  for (const r of runs) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, expected);
    assert.equal(r.stderr, '');
  }
  const files = entries(home);
  assert.equal(files.length, 1, `no temporary files left: ${files}`);
  assert.match(files[0], /\.hwcache$/);
  const again = run(home, ['summary', '--json', APP]);
  assert.equal(again.hit, true);
  assert.deepEqual(again.notes, []);
  assert.equal(again.stdout, expected);
});

test('a cache that cannot be written is reported in one line, and the answer is unchanged', () => {
  const expected = fresh(['summary', '--json', FIVE_NODES]);
  // A regular file where the directory should be: even root cannot write there.
  const home = path.join(tempDir(), 'not-a-directory');
  fs.writeFileSync(home, '');
  const r = run(home, ['summary', '--json', FIVE_NODES]);
  assert.equal(r.stdout, expected);
  assert.equal(r.notes.length, 1, r.stderr);
  assert.match(r.notes[0], /^heapwise: not caching the analysis of .*five-nodes\.heapsnapshot: .*heapwise: Not a directory$/);

  // A read-only directory (only binding for users other than root).
  const readOnly = tempDir();
  fs.mkdirSync(path.join(readOnly, 'heapwise'));
  fs.chmodSync(path.join(readOnly, 'heapwise'), 0o555);
  const ro = run(readOnly, ['summary', '--json', FIVE_NODES]);
  assert.equal(ro.stdout, expected);
  if (process.getuid() !== 0) {
    assert.equal(ro.notes.length, 1, ro.stderr);
    assert.match(ro.notes[0], /^heapwise: not caching the analysis of .*heapwise: Permission denied$/);
  }
});

test('the directory stays under HEAPWISE_CACHE_LIMIT: the least recently used entries go', () => {
  const home = tempDir();
  const files = ['plain-app', 'collections', 'unicode-strings'].map((n) => path.join(FIXTURES, `${n}.heapsnapshot.gz`));
  run(home, ['stats', files[0]]);
  const oneEntry = fs.statSync(entries(home)[0]).size;
  const limit = String(Math.floor(oneEntry * 2.5));
  run(home, ['stats', files[1]], { HEAPWISE_CACHE_LIMIT: limit });
  // Reading the first entry makes it the most recently used one.
  const reread = run(home, ['stats', files[0]], { HEAPWISE_CACHE_LIMIT: limit });
  assert.equal(reread.hit, true);
  run(home, ['stats', files[2]], { HEAPWISE_CACHE_LIMIT: limit });
  const list = JSON.parse(heapwise(['cache', 'list', '--json'], { env: { XDG_CACHE_HOME: home } }).stdout);
  const kept = list.entries.map((e) => path.basename(e.snapshot)).sort();
  assert.deepEqual(kept, ['plain-app.heapsnapshot.gz', 'unicode-strings.heapsnapshot.gz']);
  assert.ok(list.total_bytes <= Number(limit));
  const bad = heapwise(['stats', files[0]], { env: { XDG_CACHE_HOME: home, HEAPWISE_CACHE_LIMIT: 'lots' } });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, "heapwise: HEAPWISE_CACHE_LIMIT is not a size: 'lots'\n");
});

test('heapwise cache lists and clears the entries', () => {
  const home = tempDir();
  const env = { env: { XDG_CACHE_HOME: home } };
  let r = heapwise(['cache'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `0 entries, 0 B in ${home}/heapwise\n`);
  run(home, ['summary', FIVE_NODES]);
  r = heapwise(['cache', 'list'], env);
  assert.match(r.stdout, /^Snapshot +Size +Last used\n/);
  assert.match(r.stdout, new RegExp(`${FIVE_NODES.replace(/[.]/g, '\\.')} +[0-9.]+ KiB +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\n1 entry, `));
  const json = JSON.parse(heapwise(['cache', '--json'], env).stdout);
  assert.equal(json.entries.length, 1);
  assert.equal(json.entries[0].snapshot, fs.realpathSync(FIVE_NODES));
  r = heapwise(['cache', 'clear'], env);
  assert.match(r.stdout, new RegExp(`^Removed 1 entry \\([0-9.]+ KiB\\) from ${home}/heapwise\\n$`));
  assert.deepEqual(entries(home), []);
  r = heapwise(['cache', 'empty'], env);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown action 'empty' \(list or clear\)/);
});

// Bad input through the real binary: exit 3 and exactly one line
// "heapwise: FILE: byte OFFSET: what is wrong", never a crash.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import zlib from 'node:zlib';

import { FIXTURES, heapwise, tempDir } from './helpers.mjs';

const dir = tempDir();
const real = zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'plain-app.heapsnapshot.gz')));

function expectBadInput(file, what) {
  const r = heapwise(['summary', file]);
  assert.equal(r.signal, null, `${what}: killed by ${r.signal}`);
  assert.equal(r.status, 3, `${what}: exit ${r.status}, stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', what);
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(r.stderr, new RegExp(`^heapwise: ${escaped}: byte \\d+: [^\\n]+\\n$`), what);
  return Number(/byte (\d+)/.exec(r.stderr)[1]);
}

function write(name, data) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

test('missing file, directory, empty file', () => {
  expectBadInput(path.join(dir, 'does-not-exist.heapsnapshot'), 'missing');
  expectBadInput(dir, 'directory');
  expectBadInput(write('empty.heapsnapshot', ''), 'empty');
  expectBadInput(write('empty.heapsnapshot.gz', ''), 'empty gz');
});

test('many prefixes of a real snapshot, plain and gzip', () => {
  const lengths = new Set();
  for (let i = 0; i < 60; i++) lengths.add(Math.floor((real.length - 2) * Math.pow(i / 60, 2)));
  for (const cut of [1, 2, 10, 100, 1000, real.length - 2]) lengths.add(cut);
  for (const len of lengths) {
    const file = write('cut.heapsnapshot', real.subarray(0, len));
    const offset = expectBadInput(file, `prefix ${len}`);
    assert.ok(offset <= len, `prefix ${len}: offset ${offset} past the end`);
  }
  const packed = zlib.gzipSync(real);
  for (let i = 1; i < 20; i++) {
    const len = Math.floor(packed.length * i / 20);
    expectBadInput(write('cut.heapsnapshot.gz', packed.subarray(0, len)), `gzip prefix ${len}`);
  }
});

test('a header claiming 10^12 nodes is refused before allocating', () => {
  const text = real.toString('latin1').replace(/"node_count":\d+/, '"node_count":1000000000000');
  const file = write('bomb.heapsnapshot', Buffer.from(text, 'latin1'));
  const r = heapwise(['summary', file]);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /claims 1000000000000 nodes/);
});

test('corrupted bytes in the middle', () => {
  const bytes = Buffer.from(real);
  const at = bytes.indexOf('"edges"') + 5000;
  bytes[at] = 'x'.charCodeAt(0);
  const offset = expectBadInput(write('corrupt.heapsnapshot', bytes), 'corrupt');
  assert.ok(Math.abs(offset - at) < 64, `offset ${offset} should be near ${at}`);
});

test('invalid UTF-8 and bad escapes in strings', () => {
  const strings = real.indexOf('"strings"');
  const a = Buffer.from(real);
  a[a.indexOf('"', strings + 12) + 1] = 0xff;
  expectBadInput(write('utf8.heapsnapshot', a), 'invalid UTF-8');
  const b = Buffer.concat([real.subarray(0, strings + 12), Buffer.from('"\\x"'), real.subarray(strings + 12)]);
  expectBadInput(write('escape.heapsnapshot', b), 'bad escape');
});

test('gzip with garbage after the header', () => {
  expectBadInput(write('bad.heapsnapshot.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7])), 'bad gzip');
});

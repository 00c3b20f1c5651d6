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

test('several files load at once: the first bad one in the order given is the one line', () => {
  const good = path.join(FIXTURES, 'plain-app.heapsnapshot.gz');
  const cut = write('cut.heapsnapshot', real.subarray(0, real.length >> 1));
  const missing = path.join(dir, 'not-there.heapsnapshot');
  for (const [args, bad] of [[['diff', good, cut], cut], [['diff', cut, good], cut],
                             [['leaks', good, good, cut], cut], [['leaks', good, missing, cut], missing],
                             [['leaks', cut, good, missing], cut], [['leaks', good, good, good, missing, cut], missing],
                             [['leaks', good, cut, good, good, missing], cut]]) {
    const r = heapwise([...args, '--no-cache']);
    assert.equal(r.status, 3, `${args.join(' ')}: exit ${r.status}, stderr: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].startsWith(`heapwise: ${bad}: byte `), `${args.join(' ')}: ${r.stderr}`);
  }
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

// A small snapshot from nodes [type, name, id, size] and edges [from, to,
// type, name] (node 0 is the root), in V8's format.
function tinySnapshot(nodes, edges) {
  const nodeTypes = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native',
                     'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
  const edgeTypes = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
  const strings = [''];
  const str = (s) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  const flatNodes = [], flatEdges = [];
  nodes.forEach(([type, name, id, size], i) => {
    flatNodes.push(nodeTypes.indexOf(type), str(name), id, size, edges.filter((e) => e[0] === i).length, 0, 0);
  });
  for (let i = 0; i < nodes.length; i++)
    for (const [, to, type, name] of edges.filter((e) => e[0] === i)) flatEdges.push(edgeTypes.indexOf(type), str(name), to * 7);
  return JSON.stringify({
    snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
                        node_types: [nodeTypes, 'string', 'number', 'number', 'number', 'number', 'number'],
                        edge_fields: ['type', 'name_or_index', 'to_node'],
                        edge_types: [edgeTypes, 'string_or_number', 'node'] },
                node_count: nodes.length, edge_count: flatEdges.length / 3 },
    nodes: flatNodes, edges: flatEdges, strings,
  });
}

test('a number beyond a double in the header: one line, not an abort', () => {
  const offset = expectBadInput(write('huge-number.heapsnapshot', '{"snapshot":{"a":1e999}}'), '1e999');
  assert.ok(offset <= 24);
});

test('a cycle the root reaches only through a weak edge: the numbers DevTools gives, not a crash', () => {
  // DevTools' own worker (tools/devtools-oracle) puts A, B and C under the
  // root, each retaining its own size; the process crashed here (SIGSEGV).
  const file = write('weak-cycle.heapsnapshot', tinySnapshot(
    [['synthetic', '', 1, 0], ['object', 'A', 3, 10], ['object', 'B', 5, 20], ['object', 'C', 7, 30]],
    [[0, 1, 'weak', 'w'], [1, 2, 'property', 'b'], [2, 1, 'property', 'a'], [2, 3, 'property', 'c']]));
  const r = heapwise(['summary', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const rows = Object.fromEntries(JSON.parse(r.stdout).classes.map((c) => [c.name, [c.distance, c.retained_size]]));
  assert.deepEqual(rows, { A: [1, 10], B: [2, 20], C: [3, 30] });
});

test('a cycle no root reaches: the numbers DevTools gives (distance -5, each retaining itself)', () => {
  // As DevTools' own worker (tools/devtools-oracle) reports for this graph.
  const file = write('orphan-cycle.heapsnapshot', tinySnapshot(
    [['synthetic', '', 1, 0], ['object', 'A', 3, 10], ['object', 'B', 5, 20], ['object', 'C', 7, 30], ['object', 'D', 9, 40]],
    [[0, 1, 'property', 'a'], [2, 3, 'property', 'c'], [2, 4, 'property', 'd'], [3, 2, 'property', 'b']]));
  const r = heapwise(['summary', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const rows = Object.fromEntries(JSON.parse(r.stdout).classes.map((c) => [c.name, [c.distance, c.retained_size]]));
  assert.deepEqual(rows, { A: [1, 10], B: [-5, 20], C: [-5, 30], D: [-5, 40] });
});

test('a .heapprofile with the wrong types or a negative size: one line, exit 3', () => {
  const frame = (name) => ({ functionName: name, url: 'x.js', lineNumber: 1, columnNumber: 1 });
  for (const [what, head] of [
    ['a number for a name', { callFrame: frame(5), selfSize: 1, id: 1, children: [] }],
    ['a string for a size', { callFrame: frame('f'), selfSize: 'a', id: 1, children: [] }],
    ['a negative size', { callFrame: frame('f'), selfSize: -5, id: 1, children: [] }],
    ['a line that is text', { callFrame: { ...frame('f'), lineNumber: 'one' }, selfSize: 1, id: 1, children: [] }],
  ]) {
    const file = write('bad.heapprofile', JSON.stringify({ head, samples: [] }));
    const r = heapwise(['profile', file]);
    assert.equal(r.signal, null, what);
    assert.equal(r.status, 3, `${what}: ${r.stderr}`);
    assert.match(r.stderr, /^heapwise: \S+bad\.heapprofile: byte \d+: [^\n]+\n$/, what);
  }
});

test('names from the snapshot never reach the terminal as control characters; --json keeps them exact', () => {
  const evil = 'Evil\u001b[2J\u001b]0;pwned\u0007';
  const file = write('escape.heapsnapshot', tinySnapshot(
    [['synthetic', '', 1, 0], ['object', evil, 3, 10], ['object', 'B\nFake line', 5, 20], ['object', 'C\u0000\u009b31m', 7, 30],
     ['object', 'Lone\ud800', 9, 40]],
    [[0, 1, 'property', 'x\u001b[31medge'], [1, 2, 'property', 'b'], [2, 3, 'property', 'c'], [0, 4, 'property', 'd']]));
  for (const args of [['summary', file], ['dominators', file], ['show', file, '@3'], ['retainers', file, '@7'],
                      ['stats', file], ['find', file, '--class', 'Evil']]) {
    const r = heapwise(args);
    assert.equal(r.status, 0, `${args[0]}: ${r.stderr}`);
    // Only newlines end lines; no ESC, BEL, NUL or C1 control (U+009B is CSI).
    assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f\u0080-\u009f]/, args[0]);
  }
  assert.match(heapwise(['summary', file]).stdout, /^Evil\\x1b\[2J\\x1b\]0;pwned\\x07 /m);
  const names = JSON.parse(heapwise(['summary', file, '--json']).stdout).classes.map((c) => c.name);
  assert.ok(names.includes(evil) && names.includes('B\nFake line') && names.includes('C\u0000\u009b31m'), names.join('|'));
  // A lone surrogate (legal in a V8 string) is its escape, not U+FFFD.
  assert.ok(names.includes('Lone\ud800'), names.join('|'));
  assert.match(heapwise(['summary', file, '--json']).stdout, /"Lone\\ud800"/);
});

test('sizes that would wrap the totals are refused with their offset', () => {
  const nodes = [['synthetic', '', 1, 0], ['object', 'A', 3, 2 ** 55], ['object', 'B', 5, 2 ** 55], ['object', 'C', 7, 2 ** 55]];
  const edges = [[0, 1, 'property', 'a'], [0, 2, 'property', 'b'], [0, 3, 'property', 'c']];
  // Each fits, together they pass 2^56: the third one is refused.
  expectBadInput(write('wrap.heapsnapshot', tinySnapshot(nodes, edges)), 'sizes near 2^64');
  nodes[1][3] = 2 ** 63;
  expectBadInput(write('wrap1.heapsnapshot', tinySnapshot(nodes, edges)), 'one size of 2^63');
});

test('a 10,000-long chain in dominators --json: compact, not gigabytes of indentation', () => {
  const n = 10000;
  const nodes = [['synthetic', '', 1, 0]], edges = [[0, 1, 'property', 'head']];
  for (let i = 1; i <= n; i++) {
    nodes.push(['object', 'Link', 1 + 2 * i, 10]);
    if (i < n) edges.push([i, i + 1, 'property', 'next']);
  }
  const file = write('chain.heapsnapshot', tinySnapshot(nodes, edges));
  const r = heapwise(['dominators', file, '--json', '--depth', '200000', '--min-retained', '0']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.length < 20e6, `${r.stdout.length} bytes`);  // 2 spaces more per level when indented
  let depth = 0;
  for (let t = JSON.parse(r.stdout).tree; t.children.length; t = t.children[0]) depth++;
  assert.equal(depth, n);
  // A shallow document stays indented for people.
  assert.match(heapwise(['dominators', file, '--json', '--depth', '3']).stdout, /^\{\n {2}"file"/);
});

test('.heapprofile totals: once per function on a stack, linear in the depth', () => {
  const frame = (name, line) => ({ functionName: name, url: 'x.js', lineNumber: line, columnNumber: 1 });
  const node = (name, line, selfSize, children) => ({ callFrame: frame(name, line), selfSize, id: line, children });
  // a → b → a → c: a recursion counts a's total once.
  const rec = { head: { callFrame: frame('(root)', -1), selfSize: 0, id: 0,
                        children: [node('a', 1, 10, [node('b', 2, 20, [node('a', 1, 30, [node('c', 3, 40, [])])])])] } };
  const file = write('rec.heapprofile', JSON.stringify(rec));
  const totals = Object.fromEntries(JSON.parse(heapwise(['profile', file, '--json']).stdout).functions
    .map((f) => [f.function, [f.self_size, f.total_size]]));
  assert.deepEqual(totals, { a: [40, 100], b: [20, 90], c: [40, 40] });
  // A 10,000-deep recursion of g0 → g1 → g2 → g0 …, written as text (too
  // deep for JSON.stringify); it took 18 s when totals walked up from every node.
  const n = 10000;
  let text = '{"head":{"callFrame":' + JSON.stringify(frame('(root)', -1)) + ',"selfSize":0,"id":0,"children":[';
  for (let i = n - 1; i >= 0; i--)
    text += `{"callFrame":${JSON.stringify(frame(`g${i % 3}`, 2 + (i % 3)))},"selfSize":10,"id":${i + 1},"children":[`;
  text += JSON.stringify(node('f', 1, 10, [])) + ']}'.repeat(n) + ']}}';
  const r = heapwise(['profile', write('deep.heapprofile', text), '--json'], { timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  const total = (name) => JSON.parse(r.stdout).functions.find((f) => f.function === name).total_size;
  assert.equal(total('g0'), (n + 1) * 10);  // the top frame: everything
  assert.equal(total('g1'), (n - 1) * 10);  // from its outermost frame, the third from the top
});

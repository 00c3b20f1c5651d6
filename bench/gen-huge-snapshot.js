// Writes a synthetic heap snapshot over 4 GiB directly in the file format,
// with answers known by construction, to check byte offsets past 32 bits and
// a strings section far over 512 M characters (where DevTools gives up).
//
//   node gen-huge-snapshot.js OUT.heapsnapshot [HOLDERS] [BIG_STRING_MB]
//
// Shape: a synthetic root with an element edge to each of HOLDERS "Holder"
// objects (self size 300), each holding one string (self size 200) by a
// "payload" property. Four big strings of BIG_STRING_MB MiB each (at most
// 511: no V8 string is longer than 2^29 - 24 UTF-16 units, and heapwise
// refuses a file that claims one) sit in the strings section, named by the
// last four string nodes. It prints the expected answer as JSON on stdout.
'use strict';
const fs = require('fs');

const out = process.argv[2];
const holders = Number(process.argv[3] || 10_000_000);
const bigMiB = Number(process.argv[4] || 500);
if (!out) {
  console.error('usage: gen-huge-snapshot.js OUT.heapsnapshot [HOLDERS] [BIG_STRING_MB]');
  process.exit(2);
}
if (bigMiB > 511) {
  console.error('BIG_STRING_MB: at most 511 (V8 strings hold at most 2^29 - 24 UTF-16 units)');
  process.exit(2);
}
const HOLDER_SIZE = 300, STRING_SIZE = 200;
const nodeCount = 1 + 2 * holders, edgeCount = 2 * holders;
// Strings: 0 "", 1 "(root)", 2 "Holder", 3 "payload", 4 "small", 5..8 big.
const fd = fs.openSync(out, 'w');
let buffer = Buffer.alloc(64 << 20), used = 0, written = 0;
function flush() {
  fs.writeSync(fd, buffer, 0, used);
  written += used;
  used = 0;
}
function put(text) {
  if (used + text.length * 3 > buffer.length) flush();
  used += buffer.write(text, used);
}

put('{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],' +
    '"node_types":[["hidden","array","string","object","code","closure","regexp","number","native",' +
    '"synthetic","concatenated string","sliced string","symbol","bigint","object shape"],' +
    '"string","number","number","number"],"edge_fields":["type","name_or_index","to_node"],' +
    '"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],' +
    `"string_or_number","node"]},"node_count":${nodeCount},"edge_count":${edgeCount}},\n"nodes":[`);
// Node ordinals: 0 root, 1..holders holders, holders+1.. strings.
put(`9,1,1,0,${holders}`);
for (let i = 0; i < holders; i++) put(`,\n3,2,${3 + 2 * i},${HOLDER_SIZE},1`);
for (let i = 0; i < holders; i++) {
  const name = i >= holders - 4 ? 5 + (i - (holders - 4)) : 4;
  put(`,\n2,${name},${3 + 2 * (holders + i)},${STRING_SIZE},0`);
}
put('],\n"edges":[');
for (let i = 0; i < holders; i++) put(`${i ? ',' : ''}1,${i + 1},${(1 + i) * 5}`);
for (let i = 0; i < holders; i++) put(`,\n2,3,${(1 + holders + i) * 5}`);
put('],\n"strings":["","(root)","Holder","payload","small"');
const chunk = Buffer.alloc(16 << 20, 'a');
for (let s = 0; s < 4; s++) {
  put(',\n"big' + s + ':');
  flush();
  for (let left = bigMiB << 20; left > 0; left -= chunk.length) {
    const n = Math.min(left, chunk.length);
    fs.writeSync(fd, chunk, 0, n);
    written += n;
  }
  put('\\u00e9\\ud83d\\ude00"');  // é and 😀 at the end: escapes after 500 M characters
}
put(']}\n');
flush();
fs.closeSync(fd);

console.log(JSON.stringify({
  file_bytes: written,
  node_count: nodeCount,
  edge_count: edgeCount,
  total_size: holders * (HOLDER_SIZE + STRING_SIZE),
  classes: {
    Holder: { count: holders, self_size: holders * HOLDER_SIZE, retained_size: holders * (HOLDER_SIZE + STRING_SIZE), distance: 1 },
    '(string)': { count: holders, self_size: holders * STRING_SIZE, retained_size: holders * STRING_SIZE, distance: 2 },
  },
  // UTF-8 bytes of all strings once decoded: "é" is 2 bytes, "😀" 4.
  string_bytes: ['', '(root)', 'Holder', 'payload', 'small'].reduce((a, s) => a + Buffer.byteLength(s), 0) +
      4 * ('bigN:'.length + (bigMiB << 20) + 2 + 4),
  // The same in UTF-16 code units, as DevTools counts: over 512 M is where it fails.
  string_characters: 4 * ('bigN:'.length + (bigMiB << 20) + 1 + 2) + 22,
}));

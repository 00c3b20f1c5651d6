// Generates the >4 GiB synthetic snapshot (gen-huge-snapshot.js), runs
// heapwise on it and checks every figure against the known answer.
//   node check-huge.js HEAPWISE_BIN DIR [HOLDERS] [BIG_STRING_MB]
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [bin, dir, holders = '10000000', bigMiB = '500'] = process.argv.slice(2);
const file = path.join(dir, 'huge.heapsnapshot');
const t0 = Date.now();
const want = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'gen-huge-snapshot.js'), file, holders, bigMiB],
                                     { encoding: 'utf8' }));
console.log(`wrote ${file}: ${(want.file_bytes / 2 ** 30).toFixed(2)} GiB in ${((Date.now() - t0) / 1000).toFixed(1)} s, ` +
            `${want.string_characters} string characters`);
// Runs heapwise under /usr/bin/time; returns its JSON, seconds and peak RSS.
const run = (args) => {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const [, seconds, kb] = /TIME (\S+) (\d+)/.exec(r.stderr) || [];
  if (r.status !== 0) throw new Error(`heapwise ${args.join(' ')} failed: ${r.stderr}`);
  return { json: JSON.parse(r.stdout), seconds: Number(seconds), rssMiB: Number(kb) / 1024 };
};
const failures = [];
const check = (what, got, expected) => {
  if (got !== expected) failures.push(`${what}: got ${got}, want ${expected}`);
};
try {
  const { json: summary, seconds, rssMiB } = run(['summary', '--json', '--no-cache', file]);
  console.log(`heapwise summary: ${seconds} s, peak RSS ${rssMiB.toFixed(0)} MiB`);
  check('node_count', summary.node_count, want.node_count);
  check('edge_count', summary.edge_count, want.edge_count);
  check('total_size', summary.total_size, want.total_size);
  check('class_count', summary.class_count, Object.keys(want.classes).length);
  for (const row of summary.classes) {
    const w = want.classes[row.name];
    if (!w) {
      failures.push(`unexpected class ${row.name}`);
      continue;
    }
    for (const k of ['count', 'self_size', 'retained_size', 'distance']) check(`${row.name}.${k}`, row[k], w[k]);
  }
  const { json: stats } = run(['stats', '--json', '--no-cache', file]);
  check('string_bytes', stats.string_bytes, want.string_bytes);
  check('statistics.total', stats.statistics.total, want.total_size);
  check('statistics.strings', stats.statistics.strings, want.classes['(string)'].self_size);
} finally {
  fs.rmSync(file, { force: true });
}
if (failures.length) {
  console.log('FAIL\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log('PASS: every figure equals the known answer');

// Runs every leak scenario and control in tests/scenarios and asks heapwise
// and memlab (find-leaks, default mode and --trace-all-objects) about the
// same three snapshots. Prints, per scenario, whether each tool ranked the
// planted leak first, and how many groups (clusters) it reported.
//   node compare-leaks.js HEAPWISE_BIN MEMLAB_DIR [WORK_DIR]
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [bin, memlabDir, work = fs.mkdtempSync(path.join(os.tmpdir(), 'heapwise-compare-'))] = process.argv.slice(2);
const scenarios = path.join(__dirname, '../tests/scenarios');
const memlab = path.join(memlabDir, 'node_modules/.bin/memlab');

// What the planted leak is: heapwise's top class, and what memlab's first
// trace must mention (its holder) to count as naming it.
const planted = {
  'leak-http-sessions': { cls: 'Session', trace: /sessions/ },
  'leak-listeners': { cls: 'Function', trace: /config|_events/ },
  'leak-interval': { cls: 'Timeout', trace: /Timeout|_onTimeout|TimersList/ },
  'leak-memoize': { cls: '{key, html}', trace: /cache/ },
  'leak-replace-thing': { cls: '{longStr, someMethod}', trace: /originalThing|theThing|longStr/ },
  'leak-registry': { cls: 'Connection', trace: /--all \(property\)/ },
  'leak-map-keyed-by-request': { cls: 'Request', trace: /requestMeta/ },
};
const controls = ['control-lru', 'control-weakmap', 'control-listeners', 'control-intervals', 'control-churn'];

function runMemlab(files, extra) {
  const r = spawnSync(memlab, ['find-leaks', '--baseline', files[0], '--target', files[1], '--final', files[2], ...extra],
                      { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 600000 });
  const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  const found = /MemLab found (\d+) leak/.exec(out);
  const firstTrace = out.split('--Similar leaks in this run')[1] || '';
  return { groups: found ? Number(found[1]) : NaN, firstTrace };
}

const rows = [];
for (const name of [...Object.keys(planted), ...controls]) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [path.join(scenarios, `${name}.js`), dir]);
  const files = ['baseline', 'target', 'final'].map((s) => path.join(dir, `${s}.heapsnapshot`));
  const hw = JSON.parse(execFileSync(bin, ['leaks', ...files, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const mlDefault = runMemlab(files, []);
  const mlAll = runMemlab(files, ['--trace-all-objects']);
  const want = planted[name];
  rows.push({
    scenario: name,
    heapwise: want ? (hw.leaks[0]?.class === want.cls ? `first (${hw.leaks[0].pattern?.pattern})` : 'missed')
                   : `${hw.leaks.length} groups`,
    'memlab default': want ? (mlDefault.groups > 0 && want.trace.test(mlDefault.firstTrace) ? 'first' : `missed (${mlDefault.groups} groups)`)
                           : `${mlDefault.groups} groups`,
    'memlab --trace-all-objects': want ? (mlAll.groups > 0 && want.trace.test(mlAll.firstTrace) ? 'first' : `missed (${mlAll.groups} groups)`)
                                       : `${mlAll.groups} groups`,
  });
  fs.rmSync(dir, { recursive: true, force: true });
}
console.table(rows);

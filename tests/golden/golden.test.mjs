// Golden files: the human output of `summary`, `stats` and `leaks` on
// committed or generated-on-the-spot fixtures, compared byte for byte with
// tests/golden/*.txt. After an intended change of that output:
//   HEAPWISE_UPDATE_GOLDEN=1 ctest --test-dir build -R golden   (then review git diff)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { tempDir } from '../integration/helpers.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const bin = process.env.HEAPWISE_BIN;
const fixtures = process.env.HEAPWISE_FIXTURES ?? path.join(here, '..', 'fixtures');
const update = process.env.HEAPWISE_UPDATE_GOLDEN === '1';

// The generated series lives in a temporary directory that is also the
// working directory, so file names in the output are short and stable.
const work = tempDir('heapwise-golden-');
execFileSync(process.execPath, [path.join(here, 'make-leak-series.mjs'), work]);
for (const f of ['five-nodes.heapsnapshot', 'plain-app.heapsnapshot.gz', 'collections.heapsnapshot.gz',
                 'allocation-tracking.heapsnapshot.gz'])
  fs.copyFileSync(path.join(fixtures, f), path.join(work, f));

const cases = {
  'summary-five-nodes': ['summary', 'five-nodes.heapsnapshot'],
  'summary-plain-app': ['summary', 'plain-app.heapsnapshot.gz', '--top', '20'],
  'stats-plain-app': ['stats', 'plain-app.heapsnapshot.gz'],
  'stats-collections': ['stats', 'collections.heapsnapshot.gz'],
  'summary-by-allocation': ['summary', 'allocation-tracking.heapsnapshot.gz', '--by-allocation', '--top', '8'],
  'leaks-series': ['leaks', 'baseline.heapsnapshot', 'target.heapsnapshot', 'final.heapsnapshot'],
};

for (const [name, args] of Object.entries(cases)) {
  test(`${name}: heapwise ${args.join(' ')}`, () => {
    const r = spawnSync(bin, args, { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    const golden = path.join(here, `${name}.txt`);
    if (update) fs.writeFileSync(golden, r.stdout);
    assert.equal(r.stdout, fs.readFileSync(golden, 'utf8'), `output differs from tests/golden/${name}.txt`);
  });
}

test.after(() => fs.rmSync(work, { recursive: true, force: true }));

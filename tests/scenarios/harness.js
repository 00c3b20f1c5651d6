// Shared by the leak scenarios: runs a workload in three phases and writes
// baseline, target and final snapshots into the directory given as argv[2].
//   node SCENARIO.js OUTDIR
'use strict';
const path = require('path');
const v8 = require('v8');

// step(i) does one unit of work (may return a promise); warmup units run
// before the baseline so that lazy initialisation is not mistaken for a leak.
async function runScenario(step, { warmup = 200, perPhase = 2000 } = {}) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node SCENARIO.js OUTDIR');
    process.exit(2);
  }
  let i = 0;
  const run = async (n) => {
    for (let k = 0; k < n; k++) await step(i++);
  };
  await run(warmup);
  for (const name of ['baseline', 'target', 'final']) {
    if (name !== 'baseline') await run(perPhase);
    // Let timers and I/O callbacks of the last step finish first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    v8.writeHeapSnapshot(path.join(dir, `${name}.heapsnapshot`));
  }
  // Leaked intervals and servers would keep the process alive.
  process.exit(0);
}

module.exports = { runScenario };

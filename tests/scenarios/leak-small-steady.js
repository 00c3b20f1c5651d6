// Leak: a small, steady one. Every fifth request records a tiny entry in a
// module-level array that is never trimmed: 400 objects of ~30 bytes per
// phase, about 12 KiB a step, far under the 100 KiB size threshold.
'use strict';
const { runScenario } = require('./harness');

const visits = [];
const scratch = new Map();

runScenario((i) => {
  // The work itself: short-lived garbage of every size.
  scratch.set(i % 50, { i, payload: 'x'.repeat(i % 200) });
  if (i % 5 === 0) visits.push({ i });
});

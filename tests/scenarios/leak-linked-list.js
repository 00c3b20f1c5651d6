// Leak: a linked list that only grows (each entry points at the previous
// one), the shape of a promise chain or a chain of closures. Each entry
// retains the rest of the list: its growth must still count each entry once.
'use strict';
const { runScenario } = require('./harness');

let last = null;
runScenario((i) => {
  last = { previous: last, seen: `entry ${i}` };
}, { warmup: 200, perPhase: 3000 });

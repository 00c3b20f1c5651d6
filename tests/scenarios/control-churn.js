// Control (no leak): lots of short-lived garbage and a fixed-size buffer pool.
'use strict';
const { runScenario } = require('./harness');

const pool = Array.from({ length: 64 }, () => ({ buf: null }));

runScenario((i) => {
  const tmp = Array.from({ length: 100 }, (_, k) => ({ k, s: `v${k}-${i}` }));
  pool[i % pool.length].buf = JSON.stringify(tmp.slice(0, 10));
}, { perPhase: 3000 });

// Leak: every job starts a polling interval whose closure captures a big
// buffer, and nothing ever clears the interval.
'use strict';
const { runScenario } = require('./harness');

function startJob(id) {
  const report = { id, rows: Array.from({ length: 50 }, (_, i) => `row ${id}:${i}`) };
  setInterval(() => {
    if (report.rows.length < 0) console.log(report.id);
  }, 60 * 60 * 1000);
}

runScenario((i) => startJob(i), { perPhase: 800 });

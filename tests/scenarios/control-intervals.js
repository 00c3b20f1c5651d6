// Control (no leak): intervals started per job and cleared when it is done.
'use strict';
const { runScenario } = require('./harness');

const jobs = [];

runScenario((i) => {
  const state = { id: i, rows: Array.from({ length: 20 }, (_, k) => `row ${k}`) };
  jobs.push(setInterval(() => state.rows.length, 60 * 60 * 1000));
  if (jobs.length > 10) clearInterval(jobs.shift());
}, { perPhase: 1500 });

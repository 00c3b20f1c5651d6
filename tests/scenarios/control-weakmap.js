// Control (no leak): per-request metadata in a WeakMap keyed by request
// objects that are dropped when the request ends.
'use strict';
const { runScenario } = require('./harness');

const meta = new WeakMap();
let current = [];

runScenario((i) => {
  const req = { id: i, url: `/r/${i}` };
  meta.set(req, { startedAt: Date.now(), tags: [`t${i}`] });
  current.push(req);
  if (current.length > 50) current = [];  // requests finish
}, { perPhase: 3000 });

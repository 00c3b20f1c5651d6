// Leak: per-request metadata in a strong Map keyed by the request object;
// the requests are done with but the Map keeps them (a WeakMap would not).
'use strict';
const { runScenario } = require('./harness');

class Request {
  constructor(id) {
    this.id = id;
    this.url = `/api/items/${id}`;
    this.headers = { accept: 'application/json', 'x-request-id': `req-${id}` };
  }
}
const requestMeta = new Map();

runScenario((i) => {
  const req = new Request(i);
  requestMeta.set(req, { startedAt: Date.now(), tags: [`t${i % 7}`] });
}, { perPhase: 2000 });

// A small HTTP service with the leaks people actually ship:
//   - every request's session goes into a module-level Map that is never pruned;
//   - a request log array that only grows;
//   - a listener added to a shared emitter on every request and never removed.
//
//   node leaky-server.js [--port 3000] [--requests N --snapshot FILE]
//
// With --requests, it sends itself N requests, writes a heap snapshot to FILE
// and exits (what `make demo` uses). Otherwise it serves until stopped.
'use strict';
const http = require('http');
const { EventEmitter } = require('events');
const v8 = require('v8');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};

class Session {
  constructor(id, user) {
    this.id = id;
    this.user = user;
    this.createdAt = Date.now();
    this.cart = Array.from({ length: 20 }, (_, i) => ({ sku: `item-${i}`, price: i * 3 }));
    this.token = 'tok-' + id.toString(36).padStart(24, '0');
  }
}

const sessions = new Map();     // leak: never deleted
const requestLog = [];          // leak: never trimmed
const configEvents = new EventEmitter();
configEvents.setMaxListeners(0);
let nextId = 1;

function handle(req, res) {
  const id = nextId++;
  const session = new Session(id, `user${id % 1000}`);
  sessions.set(id, session);
  requestLog.push({ id, url: req.url, at: new Date().toISOString(), headers: { ...req.headers } });
  // leak: a listener per request that keeps the session alive
  configEvents.on('reload', () => session.cart.length);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ id, sessions: sessions.size }));
}

const server = http.createServer(handle);
server.listen(Number(option('--port', 0)), '127.0.0.1', async () => {
  const { port } = server.address();
  const requests = Number(option('--requests', 0));
  if (!requests) {
    console.log(`leaky-server listening on http://127.0.0.1:${port} (pid ${process.pid})`);
    return;
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const get = () => new Promise((resolve, reject) => {
    http.get({ port, host: '127.0.0.1', path: `/checkout?n=${nextId}`, agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
  for (let done = 0; done < requests; done += 50) {
    await Promise.all(Array.from({ length: Math.min(50, requests - done) }, get));
  }
  agent.destroy();
  const file = option('--snapshot', 'leaky-server.heapsnapshot');
  v8.writeHeapSnapshot(file);
  console.log(`leaky-server: served ${requests} requests, wrote ${file}`);
  server.close();
});

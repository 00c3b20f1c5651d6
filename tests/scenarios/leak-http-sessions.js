// Leak: an HTTP server keeps every session in a module-level Map and every
// request in a log array; neither is ever pruned.
'use strict';
const http = require('http');
const { runScenario } = require('./harness');

const sessions = new Map();
const requestLog = [];

class Session {
  constructor(id) {
    this.id = id;
    this.user = `user-${id}`;
    this.createdAt = Date.now();
    this.cart = Array.from({ length: 8 }, (_, i) => ({ sku: `sku-${id}-${i}`, qty: i }));
  }
}

const server = http.createServer((req, res) => {
  const id = sessions.size + 1;
  sessions.set(`sid-${id}`, new Session(id));
  requestLog.push(`${req.method} ${req.url} ${id}`);
  res.end('ok');
});

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const get = (i) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: `/page/${i}`, agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
  await runScenario(get, { warmup: 100, perPhase: 1500 });
  agent.destroy();
  server.close();
});

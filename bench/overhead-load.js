// Closed-loop load: CONCURRENCY keep-alive clients send requests back to
// back for SECONDS; prints the completed requests per second.
//   node overhead-load.js PORT SECONDS [CONCURRENCY]
'use strict';
const http = require('http');
const [port, seconds, concurrency = 8] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const end = Date.now() + seconds * 1000;
let done = 0, n = 0;
function client() {
  if (Date.now() >= end) return Promise.resolve();
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: `/?n=${n++}`, agent }, (res) => {
      res.resume();
      res.on('end', () => { done++; resolve(); });
    }).on('error', reject);
  }).then(client);
}
Promise.all(Array.from({ length: concurrency }, client)).then(() => {
  console.log((done / seconds).toFixed(1));
  agent.destroy();
});

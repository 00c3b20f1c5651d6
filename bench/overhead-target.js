// The service whose throughput bench/watch-overhead.sh measures: a small
// HTTP server doing typical per-request work (build and serialise a JSON
// document) with an ordinary heap of ~50 MB of long-lived data.
//   node overhead-target.js PORT
'use strict';
const http = require('http');
const catalogue = Array.from({ length: 200000 }, (_, i) => ({ id: i, name: `item ${i}`, price: i % 977 }));
http.createServer((req, res) => {
  const start = Number(new URL(req.url, 'http://x').searchParams.get('n') || 0) % catalogue.length;
  const body = JSON.stringify({ items: catalogue.slice(start, start + 50), at: Date.now() });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
}).listen(Number(process.argv[2]), '127.0.0.1', () => console.log(`ready ${process.pid}`));

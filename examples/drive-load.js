// Sends requests to the example server until it is stopped.
//   node drive-load.js PORT [REQUESTS_PER_SECOND]
'use strict';
const http = require('http');
const [port, rate = 200] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
let n = 0;
setInterval(() => {
  for (let i = 0; i < rate / 10; i++) {
    http.get({ host: '127.0.0.1', port, path: `/checkout?n=${n++}`, agent }, (res) => res.resume()).on('error', () => {});
  }
}, 100);

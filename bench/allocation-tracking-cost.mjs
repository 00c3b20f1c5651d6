// What V8's allocation tracking (HeapProfiler.startTrackingHeapObjects with
// trackAllocations, as a hunt runs it between its first and last snapshot)
// costs a service: the example server is driven as hard as it goes for
// PHASE seconds without tracking, then with it, then without again; its
// throughput (requests/s) and RSS are printed for each phase.
//   node --experimental-websocket bench/allocation-tracking-cost.mjs [PHASE_SECONDS]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const phase = Number(process.argv[2] || 10);
const here = path.dirname(new URL(import.meta.url).pathname);
const server = spawn(process.execPath, ['--inspect=127.0.0.1:0', path.join(here, '../examples/leaky-server.js'),
                                        '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '', err = '';
server.stdout.on('data', (d) => { out += d; });
server.stderr.on('data', (d) => { err += d; });
const until = async (f) => { while (!f()) await new Promise((r) => setTimeout(r, 50)); };
await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(out) && /ws:\/\/\S+/.test(err));
const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)[1]);
const ws = new WebSocket(/(ws:\/\/\S+)/.exec(err)[1]);
await new Promise((r) => { ws.onopen = r; });
let id = 0;
const pending = new Map();
ws.onmessage = (m) => {
  const msg = JSON.parse(m.data);
  if (msg.id && pending.has(msg.id)) pending.get(msg.id)(msg);
};
const call = (method, params = {}) => new Promise((resolve) => {
  pending.set(++id, resolve);
  ws.send(JSON.stringify({ id, method, params }));
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
async function drive(seconds) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (Date.now() < end) {
      await new Promise((resolve) => http.get({ host: '127.0.0.1', port, path: '/checkout', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', resolve));
      done++;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) * 1024;
  return { rps: done / seconds, rss };
}

await call('HeapProfiler.enable');
const rows = [];
rows.push(['without tracking', await drive(phase)]);
await call('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
rows.push(['with allocation tracking', await drive(phase)]);
// Stopping sends a snapshot; its chunks are ignored here.
await call('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
rows.push(['without tracking again', await drive(phase)]);
const base = rows[0][1].rps;
for (const [name, r] of rows)
  console.log(`${name.padEnd(26)} ${r.rps.toFixed(0).padStart(7)} req/s (${(r.rps / base * 100).toFixed(0)}%)  ` +
              `RSS ${(r.rss / 1048576).toFixed(0)} MiB`);
ws.close();
server.kill();
process.exit(0);

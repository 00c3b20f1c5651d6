// Writes the fuzz targets' seed corpora into DIR/<target>/, made from what
// node itself produces: small snapshots cut out of a real heap snapshot of
// this node (its own meta, node and edge types, locations), a real sampling
// heap profile, the inspector's real replies and events as CDP scripts, and
// requests as the dashboard sends them.
//   node fuzz/make-corpus.mjs DIR
import inspector from 'node:inspector';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import zlib from 'node:zlib';

const out = process.argv[2];
if (!out) {
  console.error('usage: node fuzz/make-corpus.mjs DIR');
  process.exit(2);
}
const write = (target, name, data) => {
  fs.mkdirSync(path.join(out, target), { recursive: true });
  fs.writeFileSync(path.join(out, target, name), data);
};

// The first `count` objects reached from the root breadth-first, with the
// edges between them, as a snapshot of their own.
function cut(snapshot, count) {
  const { meta } = snapshot.snapshot;
  const nf = meta.node_fields.length, ef = meta.edge_fields.length;
  const edgeCountField = meta.node_fields.indexOf('edge_count');
  const nameField = meta.node_fields.indexOf('name');
  const toField = meta.edge_fields.indexOf('to_node'), edgeNameField = meta.edge_fields.indexOf('name_or_index');
  const edgeTypes = meta.edge_types[0];
  const nodeCount = snapshot.nodes.length / nf;
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) firstEdge[i + 1] = firstEdge[i] + snapshot.nodes[i * nf + edgeCountField];
  const kept = new Map([[0, 0]]);
  const order = [0];
  for (let q = 0; q < order.length && kept.size < count; q++) {
    const n = order[q];
    for (let e = firstEdge[n]; e < firstEdge[n + 1] && kept.size < count; e++) {
      const to = snapshot.edges[e * ef + toField] / nf;
      if (!kept.has(to)) {
        kept.set(to, order.length);
        order.push(to);
      }
    }
  }
  const strings = new Map();
  const str = (i) => {
    if (!strings.has(i)) strings.set(i, strings.size);
    return strings.get(i);
  };
  str(0);
  const nodes = [], edges = [];
  for (const n of order) {
    const fields = snapshot.nodes.slice(n * nf, n * nf + nf);
    let edgeCount = 0;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e++) {
      const to = snapshot.edges[e * ef + toField] / nf;
      if (!kept.has(to)) continue;
      const edge = snapshot.edges.slice(e * ef, e * ef + ef);
      const type = edgeTypes[edge[0]];
      if (type !== 'element' && type !== 'hidden') edge[edgeNameField] = str(edge[edgeNameField]);
      edge[toField] = kept.get(to) * nf;
      edges.push(...edge);
      edgeCount++;
    }
    fields[nameField] = str(fields[nameField]);
    fields[edgeCountField] = edgeCount;
    nodes.push(...fields);
  }
  const locations = [];
  const lf = meta.location_fields?.length ?? 0;
  for (let i = 0; lf && i < snapshot.locations.length; i += lf) {
    const object = snapshot.locations[i] / nf;
    if (kept.has(object)) locations.push(kept.get(object) * nf, ...snapshot.locations.slice(i + 1, i + lf));
  }
  const names = [...strings.keys()].map((i) => snapshot.strings[i]);
  return JSON.stringify({
    snapshot: { meta, node_count: order.length, edge_count: edges.length / ef, trace_function_count: 0 },
    nodes, edges, trace_function_infos: [], trace_tree: [], samples: [], locations, strings: names,
  });
}

// A heap with the shapes leaks have: a growing Map, listeners, closures, a class.
class UserSession { constructor(id) { this.id = id; this.payload = 'x'.repeat(40 + id); } }
globalThis.cache = new Map();
for (let i = 0; i < 50; i++) globalThis.cache.set('k' + i, new UserSession(i));
const { EventEmitter } = await import('node:events');
globalThis.bus = new EventEmitter();
for (let i = 0; i < 5; i++) globalThis.bus.on('tick', () => globalThis.cache.size + i);

const file = path.join(out, 'node.heapsnapshot');
fs.mkdirSync(out, { recursive: true });
v8.writeHeapSnapshot(file);
const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
fs.rmSync(file);
for (const count of [2, 8, 30, 120, 400]) {
  const text = cut(snapshot, count);
  write('analysis', `node-${count}.heapsnapshot`, text);
  // The loader's first byte picks plain (even) or gzip (odd) for the rest.
  write('snapshot_loader', `node-${count}-plain`, Buffer.concat([Buffer.from('0'), Buffer.from(text)]));
  write('snapshot_loader', `node-${count}-gzip`, Buffer.concat([Buffer.from('1'), Buffer.from(text)]));
  if (count === 30) write('snapshot_loader', `node-${count}-raw-gzip`, Buffer.concat([Buffer.from('0'), zlib.gzipSync(text)]));
}

// The inspector's own answers, as the scripts of the CDP target.
const session = new inspector.Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
const events = [];
session.on('inspectorNotification', (m) => events.push(m));
let id = 0;
const reply = async (method, params = {}) => JSON.stringify({ id: ++id, result: await post(method, params) });
const lines = [];
lines.push(await reply('Runtime.getHeapUsage'));
lines.push(await reply('Runtime.evaluate', { expression: 'require("v8").getHeapSpaceStatistics', includeCommandLineAPI: true }));
lines.push(JSON.stringify({ id: ++id, result: { result: { type: 'object', value: [50331648, 1200000, 10240, [['new_space', 1048576, 524288, 524288], ['old_space', 8388608, 4194304, 4194304]]] } } }));
lines.push(await reply('Runtime.evaluate', { expression: 'require("v8").getHeapStatistics().heap_size_limit', includeCommandLineAPI: true, returnByValue: true }));
lines.push(await reply('Runtime.evaluate', { expression: 'process.version', returnByValue: true }));
write('cdp_message', 'memory-sample', lines.join('\n'));

id = 0;
const capture = [await reply('HeapProfiler.enable')];
capture.push(JSON.stringify({ method: 'HeapProfiler.reportHeapSnapshotProgress', params: { done: 10, total: 20 } }));
capture.push(JSON.stringify({ method: 'HeapProfiler.reportHeapSnapshotProgress', params: { done: 20, total: 20, finished: true } }));
const small = cut(snapshot, 8);
for (let i = 0; i < small.length; i += 200)
  capture.push(JSON.stringify({ method: 'HeapProfiler.addHeapSnapshotChunk', params: { chunk: small.slice(i, i + 200) } }));
capture.push(JSON.stringify({ id: ++id, result: {} }));
write('cdp_message', 'snapshot-capture', capture.join('\n'));

id = 0;
await post('HeapProfiler.enable');
await post('HeapProfiler.startSampling', { samplingInterval: 256 });
const garbage = [];
for (let i = 0; i < 2000; i++) garbage.push({ i, s: 'y'.repeat(i % 50) });
const { profile } = await post('HeapProfiler.stopSampling');
write('heap_profile', 'node.heapprofile', JSON.stringify(profile));
const prune = (n, depth) => ({ ...n, children: depth > 3 ? [] : n.children.slice(0, 3).map((c) => prune(c, depth + 1)) });
write('heap_profile', 'node-pruned.heapprofile', JSON.stringify({ head: prune(profile.head, 0), samples: profile.samples.slice(0, 20) }));
const sampling = ['{"id":1,"result":{}}', '{"id":2,"result":{}}', '{"id":3,"result":{"usedSize":1000,"totalSize":2000}}',
  JSON.stringify({ id: 4, result: { profile: { head: prune(profile.head, 0), samples: profile.samples.slice(0, 5) } } })];
write('cdp_message', 'sampling-profile', sampling.join('\n'));

id = 0;
const witness = [await reply('Runtime.evaluate', { expression: '({heapwiseWitness: true})', objectGroup: 'heapwise-witness-1' })];
const objectId = JSON.parse(witness[0]).result.result.objectId;
witness.push(await reply('Runtime.evaluate', { expression: '({heapwiseWitness: true})', objectGroup: 'heapwise-witness-2' }));
witness.push(await reply('HeapProfiler.enable'));
witness.push(await reply('HeapProfiler.getHeapObjectId', { objectId }));
witness.push(JSON.stringify({ id: ++id, error: { code: -32000, message: 'Object with given id not found' } }));
write('cdp_message', 'id-witness', witness.join('\n'));
write('cdp_message', 'events', events.slice(0, 5).map((e) => JSON.stringify(e)).concat(['{"method":"Runtime.executionContextDestroyed","params":{"executionContextId":1}}']).join('\n'));
session.disconnect();

// Requests as the dashboard and curl send them (TOKEN and PORT are filled in by the target).
const get = (target, extra = '') => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n${extra}\r\n`;
const requests = {
  page: get('/?token=TOKEN'),
  stats: get('/memory/stats', 'Cookie: heapwise_token=TOKEN\r\n'),
  report: get('/memory/report', 'Authorization: Bearer TOKEN\r\n'),
  metrics: get('/metrics?token=TOKEN'),
  list: get('/memory/snapshots?token=TOKEN'),
  download: get('/memory/snapshots/hunt-20260101-000000-1.heapsnapshot?token=TOKEN'),
  link: get('/memory/snapshots/snapshot-20260101-000001.heapsnapshot?token=TOKEN'),
  traversal: get('/memory/snapshots/..%2Fsecret.heapsnapshot?token=TOKEN'),
  explore: get('/explore/hunt-20260101-000000-1.heapsnapshot/api/summary?token=TOKEN&f=0&limit=5'),
  capture: `POST /memory/snapshot?token=TOKEN HTTP/1.1\r\nHost: localhost:PORT\r\nOrigin: http://127.0.0.1:PORT\r\nContent-Length: 0\r\n\r\n`,
  rebinding: get('/memory/stats?token=TOKEN').replace('127.0.0.1:PORT', 'evil.example:PORT'),
  body: `POST /memory/stats HTTP/1.1\r\nHost: [::1]:PORT\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n`,
};
for (const [name, text] of Object.entries(requests)) write('http_request', name, text);
console.log(`heapwise: fuzz corpora written to ${out}`);

// Builds a service-like heap and writes a V8 heap snapshot of it, for the
// benchmarks: class instances, Maps, dictionaries, arrays, closures, typed
// arrays and unique strings, in the proportions of a typical Node service.
//
//   node --max-old-space-size=16000 gen-service-heap.js UNITS OUT.heapsnapshot [--series GROWTH]
//
// With --series, it writes OUT-baseline/-target/-final.heapsnapshot, adding
// GROWTH more units (sessions that are never removed: a leak) between them,
// for benchmarking `heapwise leaks`.
//
// One unit adds about 10 nodes and 31 edges to the snapshot; 600000 units
// give ~6.3 M nodes (~515 MB), 1850000 units ~19 M nodes (~1.6 GB).
'use strict';
const v8 = require('v8');

const [units, out] = [Number(process.argv[2]), process.argv[3]];
const seriesAt = process.argv.indexOf('--series');
const growth = seriesAt > 0 ? Number(process.argv[seriesAt + 1]) : 0;
if (!units || !out) {
  console.error('usage: gen-service-heap.js UNITS OUT.heapsnapshot');
  process.exit(2);
}

class User {
  constructor(id) {
    this.id = id;
    this.name = `user-${id}`;
    this.roles = ['reader'];
    this.avatar = new Uint8Array(48);
  }
}
class Session {
  constructor(id, user) {
    this.id = id;
    this.user = user;
    this.token = `tok-${id.toString(36)}-${(id * 7919).toString(16)}`;
    this.cart = [{ sku: id % 997, qty: 1 + (id % 5) }];
    this.onExpire = () => this.id + user.id;  // a closure over the session
    this.startedAt = 1700000000000 + id;
  }
}

const users = [];
const sessions = new Map();
const cache = Object.create(null);  // a dictionary-mode object used as a cache
const log = [];
let next = 0;
function addUnits(n) {
  for (const end = next + n; next < end; next++) {
    const i = next;
    if (i % 10 === 0) users.push(new User(i / 10));
    const s = new Session(i, users[users.length - 1]);
    sessions.set(i, s);
    if (i % 4 === 0) cache[`k:${i}`] = { value: i, hits: 0 };
    if (i % 8 === 0) log.push([i, s.token]);
  }
}
addUnits(units);
globalThis.service = { users, sessions, cache, log };
if (!growth) {
  v8.writeHeapSnapshot(out);
} else {
  const base = out.replace(/\.heapsnapshot$/, '');
  for (const [k, name] of ['baseline', 'target', 'final'].entries()) {
    if (k > 0) addUnits(growth);
    v8.writeHeapSnapshot(`${base}-${name}.heapsnapshot`);
  }
}

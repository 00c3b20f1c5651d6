// Writes a small synthetic leak series (baseline, target, final) for the
// golden test of `heapwise leaks`: a service whose `sessions` Map and
// `requestLog` array gain 1,500 entries per snapshot. Built node by node,
// so the files are the same on every run and every node version.
//
//   node tests/golden/make-leak-series.mjs OUTDIR
import fs from 'node:fs';
import path from 'node:path';

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native',
  'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

class HeapWriter {
  constructor() {
    this.nodes = [];
    this.strings = [''];
    this.stringIndex = new Map([['', 0]]);
  }
  str(s) {
    if (!this.stringIndex.has(s)) {
      this.stringIndex.set(s, this.strings.length);
      this.strings.push(s);
    }
    return this.stringIndex.get(s);
  }
  node(type, name, id, size) {
    const n = { type: NODE_TYPES.indexOf(type), name: this.str(name), id, size, edges: [] };
    this.nodes.push(n);
    return n;
  }
  edge(from, type, name, to) {
    const t = EDGE_TYPES.indexOf(type);
    const nameOrIndex = type === 'element' || type === 'hidden' ? name : this.str(String(name));
    from.edges.push([t, nameOrIndex, to]);
  }
  toJSON() {
    const order = new Map(this.nodes.map((n, i) => [n, i]));
    const nodes = [], edges = [];
    for (const n of this.nodes) {
      nodes.push(n.type, n.name, n.id, n.size, n.edges.length, 0, 0);
      for (const [t, name, to] of n.edges) edges.push(t, name, order.get(to) * 7);
    }
    return {
      snapshot: {
        meta: {
          node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
          node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
          edge_fields: ['type', 'name_or_index', 'to_node'],
          edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
          trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
          trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
          sample_fields: ['timestamp_us', 'last_assigned_id'],
          location_fields: ['object_index', 'script_id', 'line', 'column'],
        },
        node_count: this.nodes.length,
        edge_count: edges.length / 3,
        trace_function_count: 0,
      },
      nodes, edges, trace_function_infos: [], trace_tree: [], samples: [], locations: [], strings: this.strings,
    };
  }
}

// The heap after `sessions` sessions and `requests` requests. Ids follow
// allocation order, as V8's do, so objects keep their ids across the series.
function heap(sessions, requests) {
  const w = new HeapWriter();
  const root = w.node('synthetic', '', 1, 0);
  const gcRoots = w.node('synthetic', '(GC roots)', 3, 0);
  const global = w.node('object', 'global', 5, 64);
  w.edge(root, 'shortcut', 'global', global);
  w.edge(root, 'element', 1, gcRoots);
  const map = w.node('object', 'Map', 7, 32);
  const table = w.node('array', '', 9, 16 + 8 * sessions);
  const log = w.node('object', 'Array', 11, 32);
  const elements = w.node('array', '(object elements)', 13, 16 + 8 * requests);
  const user = w.node('object', 'User', 15, 48);
  w.edge(global, 'property', 'sessions', map);
  w.edge(global, 'property', 'requestLog', log);
  w.edge(global, 'property', 'admin', user);
  w.edge(map, 'internal', 'table', table);
  w.edge(log, 'internal', 'elements', elements);
  // Each session and each request string gets the next ids, in the order made.
  const made = [];
  for (let i = 0; i < Math.max(sessions, requests); i++) {
    if (i < sessions) made.push(['session', i]);
    if (i < requests) made.push(['request', i]);
  }
  let id = 101;
  for (const [kind, i] of made) {
    if (kind === 'session') {
      const s = w.node('object', 'Session', id, 56);
      const token = w.node('string', `tok-${i.toString(36)}`, id + 2, 40);
      w.edge(s, 'property', 'token', token);
      w.edge(s, 'property', 'user', user);
      w.edge(table, 'internal', String(i), s);
    } else {
      const line = w.node('string', `GET /item/${i} 200`, id, 80);
      w.edge(elements, 'element', i, line);
    }
    id += 4;
  }
  return w.toJSON();
}

const out = process.argv[2];
if (!out) {
  console.error('usage: make-leak-series.mjs OUTDIR');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
const steps = { baseline: 100, target: 1600, final: 3100 };
for (const [name, n] of Object.entries(steps))
  fs.writeFileSync(path.join(out, `${name}.heapsnapshot`), JSON.stringify(heap(n, n)));

// heapwise's numbers equal Chrome DevTools' on node-written snapshots: every
// node's shown self size, retained size, distance and immediate dominator,
// every Summary row, and the Statistics. The references were made by running
// DevTools' own heap snapshot worker (tests/fixtures/make-references.mjs).
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';

import { FIXTURES, heapwise, heapwiseJson, readGzipJson } from './helpers.mjs';

const fixtures = ['plain-app', 'collections', 'allocation-tracking', 'unicode-strings'];

for (const name of fixtures) {
  const snapshot = path.join(FIXTURES, `${name}.heapsnapshot.gz`);
  const reference = readGzipJson(path.join(FIXTURES, `${name}.devtools.json.gz`));

  test(`${name}: every node equals DevTools`, () => {
    const r = heapwise(['nodes', snapshot]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    lines.pop();
    assert.equal(lines.length, reference.meta.nodeCount);
    const ref = reference.nodes;
    const mismatches = [];
    lines.forEach((line, i) => {
      const n = JSON.parse(line);
      const want = { id: ref.id[i], self_size: ref.selfSize[i], retained_size: ref.retainedSize[i],
                     distance: ref.distance[i], dominator_id: ref.dominatorId[i] };
      const got = { id: n.id, self_size: n.self_size, retained_size: n.retained_size, distance: n.distance,
                    dominator_id: n.dominator_id };
      if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push({ want, got });
    });
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} nodes differ from DevTools`);
  });

  test(`${name}: every Summary row equals DevTools`, () => {
    const summary = heapwiseJson(['summary', '--json', snapshot]);
    assert.equal(summary.total_size, reference.meta.totalSize);
    const mine = new Map(summary.classes.map((c) => [c.key, c]));
    assert.equal(summary.classes.length, reference.aggregates.length);
    for (const row of reference.aggregates) {
      const got = mine.get(row.key);
      assert.ok(got, `class row ${row.key} missing`);
      assert.deepEqual(
          { name: got.name, count: got.count, distance: got.distance, self: got.self_size,
            retained: got.retained_size },
          { name: row.name, count: row.count, distance: row.distance, self: row.self, retained: row.retained },
          `class row ${row.key}`);
    }
  });

  test(`${name}: Statistics equal DevTools`, () => {
    const stats = heapwiseJson(['stats', '--json', snapshot]);
    const s = stats.statistics, v = reference.statisticsView;
    assert.deepEqual(
        [s.total, s.code, s.strings, s.js_arrays, s.typed_arrays, s.system_objects, s.other_js_objects,
         s.other_non_js_objects],
        [v.total, v.code, v.strings, v.jsArrays, v.typedArrays, v.systemObjects, v.otherJSObjects,
         v.otherNonJSObjects]);
    assert.equal(stats.node_count, reference.meta.nodeCount);
    assert.equal(stats.edge_count, reference.meta.edgeCount);
  });
}

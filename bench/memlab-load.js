// memlab's full load of a snapshot (parse + dominators + retained sizes),
// the reference the benchmark compares heapwise against.
//   node memlab-load.js MEMLAB_DIR FILE
'use strict';
const path = require('path');
const [dir, file] = process.argv.slice(2);
const { getFullHeapFromFile } = require(path.join(dir, 'node_modules/@memlab/heap-analysis'));

(async () => {
  const t0 = process.hrtime.bigint();
  const heap = await getFullHeapFromFile(file);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ nodes: heap.nodes.length, edges: heap.edges.length, seconds }));
})();

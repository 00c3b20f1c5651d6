// VS Code's heap snapshot parser (@vscode/v8-heap-parser, Rust compiled to
// WebAssembly): decode a snapshot and list its class groups with retained
// sizes, the closest it has to `heapwise summary`.
//   node vscode-load.js PARSER_DIR FILE
'use strict';
const fs = require('fs');
const path = require('path');
const [dir, file] = process.argv.slice(2);
const { decode_bytes, init_panic_hook } = require(path.join(dir, 'node_modules/@vscode/v8-heap-parser'));
init_panic_hook();  // a Rust panic prints its message instead of "unreachable"

const t0 = process.hrtime.bigint();
const graph = decode_bytes(fs.readFileSync(file));
const groups = graph.get_class_groups(0, 1 << 30, false);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ class_groups: groups.length, seconds }));

// The one-way rule of src/LAYERS: a file may include its own folder and the
// folders above it in that list, never one below. Run by ctest (label unit);
// also `node --test tests/structure/layers.test.mjs`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = process.env.HEAPWISE_SRC ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function layers() {
  const order = [];
  for (const line of readFileSync(join(src, 'LAYERS'), 'utf8').split('\n')) {
    const name = line.replace(/#.*/, '').trim();
    if (name) order.push(name);
  }
  return order;
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(h|cpp)$/.test(entry.name)) yield path;
  }
}

test('every folder under src/ is a listed layer', () => {
  const order = layers();
  const folders = readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const f of folders) assert.ok(order.includes(f), `src/${f}/ is not in src/LAYERS: give it a place in the order`);
});

test('includes point down the layers only', () => {
  const order = layers();
  const rank = new Map(order.map((name, i) => [name, i]));
  const upward = [];
  for (const file of sourceFiles(src)) {
    const rel = file.slice(src.length + 1);
    const own = rel.split('/')[0];
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = /^\s*#\s*include\s+"(([a-z_]+)\/[^"]*)"/.exec(line);
      if (!m) return;
      const [, path, target] = m;
      if (target === own) return;
      if (!rank.has(target)) upward.push(`src/${rel}:${i + 1} includes "${path}", whose folder is not a layer`);
      else if (rank.get(target) > rank.get(own))
        upward.push(`src/${rel}:${i + 1} (${own}) includes "${path}" from the higher layer ${target}`);
    });
  }
  assert.deepEqual(upward, [], `upward includes:\n  ${upward.join('\n  ')}`);
});

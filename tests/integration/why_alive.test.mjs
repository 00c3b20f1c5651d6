// "Why is this alive?": retainers, show, dominators, find, strings and
// allocation stacks on snapshots whose truth is known by construction.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import test from 'node:test';

import { FIXTURES, heapwise, heapwiseJson, tempDir } from './helpers.mjs';

const snapshot = path.join(tempDir(), 'retention.heapsnapshot');
execFileSync(process.execPath, [path.join(FIXTURES, 'retention.js'), snapshot]);
const weakOnly = path.join(FIXTURES, 'weak-only.heapsnapshot');
const tracked = path.join(FIXTURES, 'allocation-tracking.heapsnapshot.gz');

function onlyPath(cls) {
  const r = heapwiseJson(['retainers', snapshot, '--class', cls, '--json']);
  assert.equal(r.instances, 1, `${cls}: one instance`);
  const [target] = r.targets;
  assert.equal(target.paths.length, 1);
  return { id: target.node.id, text: target.paths[0].text, steps: target.paths[0].steps };
}

test('an object held only by a named global', () => {
  const { id, text } = onlyPath('HeldByGlobal');
  assert.equal(text, `global › heldByGlobal: HeldByGlobal @${id}`);
  const human = heapwise(['retainers', snapshot, `@${id}`]);
  assert.equal(human.status, 0);
  assert.match(human.stdout, new RegExp(`^global › heldByGlobal: HeldByGlobal @${id}  `, 'm'));
});

test('an object held only through a closure', () => {
  const { id, text } = onlyPath('HeldByClosure');
  assert.equal(text, 'global › getSecret: Function › context (internal): system / Context › ' +
                     `secret (closure variable): HeldByClosure @${id}`);
});

test('an object held through a Map value', () => {
  const { id, text } = onlyPath('HeldByMapValue');
  assert.match(text, new RegExp(`^global › registry: Map › table \\(internal\\): \\(array\\) › \\d+ \\(internal\\): ` +
                                `HeldByMapValue @${id}$`));
});

test('an object held through an array element', () => {
  const { id, text } = onlyPath('HeldByArrayElement');
  assert.equal(text, `global › list: Array › [3]: HeldByArrayElement @${id}`);
});

test('a weakly held object is unreachable: no path, distance "-", root as dominator', () => {
  const r = heapwiseJson(['retainers', weakOnly, '--class', 'WeakOnly', '--json']);
  assert.equal(r.targets[0].reachable, false);
  assert.deepEqual(r.targets[0].paths, []);
  const human = heapwise(['retainers', weakOnly, '@9']);
  assert.match(human.stdout, /WeakOnly @9: unreachable from the roots/);
  const shown = heapwiseJson(['show', weakOnly, '@9', '--json']);
  assert.equal(shown.distance, -5);
  assert.deepEqual(shown.retainers, [{ type: 'weak', name: 'weakref_target', from: 3, class: 'global', distance: 1 }]);
  assert.deepEqual(shown.dominators.map((d) => d.id), [1]);
  assert.equal(shown.retained_size, 70);
  // Kept, held strongly by the same global, has a path.
  const kept = heapwiseJson(['retainers', weakOnly, '@7', '--json']);
  assert.equal(kept.targets[0].paths[0].text, 'global › kept: Kept @7');
});

test('show: sizes, edges, retainers and dominator chain', () => {
  const { id } = onlyPath('HeldByArrayElement');
  const s = heapwiseJson(['show', snapshot, `@${id}`, '--json']);
  assert.equal(s.class, 'HeldByArrayElement');
  assert.equal(s.type, 'object');
  assert.ok(s.retained_size >= s.self_size && s.self_size > 0);
  assert.ok(s.edges.some((e) => e.name === 'payload' && /string/.test(e.class)));
  assert.ok(s.retainer_count >= 1);  // the Array, and its elements store
  assert.equal(s.retainers[0].type, 'element');
  assert.equal(s.retainers[0].name, '3');
  assert.equal(s.retainers[0].class, 'Array');
  assert.equal(s.dominators.at(-1).id, 1, 'the chain ends at the root');
  // The human form has every part.
  const human = heapwise(['show', snapshot, `@${id}`]).stdout;
  for (const part of ['retained size', 'Edges (', 'Retainers (', 'Dominator chain']) assert.ok(human.includes(part), part);
});

test('dominators: nested, biggest first, percentages', () => {
  const d = heapwiseJson(['dominators', snapshot, '--json', '--depth', '2']);
  assert.equal(d.tree.id, 1);
  assert.equal(d.tree.retained_size, d.total_size);
  const kids = d.tree.children;
  assert.ok(kids.length > 0);
  for (let i = 1; i < kids.length; i++) assert.ok(kids[i - 1].retained_size >= kids[i].retained_size);
  for (const k of kids) assert.ok(k.retained_size >= d.min_retained);
});

test('find by class, name and string, sorted by retained size', () => {
  const byClass = heapwiseJson(['find', snapshot, '--class', '^HeldBy', '--json']);
  assert.deepEqual(byClass.objects.map((o) => o.class).sort(),
                   ['HeldByArrayElement', 'HeldByClosure', 'HeldByGlobal', 'HeldByMapValue']);
  for (let i = 1; i < byClass.objects.length; i++)
    assert.ok(byClass.objects[i - 1].retained_size >= byClass.objects[i].retained_size);
  const byString = heapwiseJson(['find', snapshot, '--string', 'duplicated-string-value', '--json']);
  assert.equal(byString.matches, 50);
  const byName = heapwiseJson(['find', snapshot, '--class', 'Function', '--name', '^getSecret$', '--json']);
  assert.equal(byName.matches, 1);
});

test('strings --duplicates counts the copies and the waste', () => {
  const r = heapwiseJson(['strings', snapshot, '--duplicates', '--top', '0', '--json']);
  const dup = r.duplicates.find((d) => d.value === 'duplicated-string-value');
  assert.ok(dup, 'the duplicated value is listed');
  assert.equal(dup.copies, 50);
  assert.equal(dup.wasted_size, dup.total_size - dup.total_size / 50);
  const biggest = heapwiseJson(['strings', snapshot, '--top', '3', '--json']);
  assert.equal(biggest.strings.length, 3);
});

test('allocation stacks from a snapshot written with allocation tracking', () => {
  const found = heapwiseJson(['find', tracked, '--string', 'record 42', '--limit', '1', '--json']);
  const shown = heapwiseJson(['show', tracked, `@${found.objects[0].id}`, '--json']);
  assert.equal(shown.allocation_stack[0].function, 'allocateRecords');
  assert.match(shown.allocation_stack[0].script_name, /allocation-tracking\.js$/);
  assert.equal(shown.allocation_stack[0].line, 13);
  const sites = heapwiseJson(['summary', tracked, '--by-allocation', '--json']);
  const records = sites.sites.find((x) => x.class === '{label, values}');
  assert.equal(records.function, 'allocateRecords');
  assert.ok(records.count >= 500);
  assert.equal(records.other_callers, 0, 'allocateRecords has one caller');
  const none = heapwise(['summary', weakOnly, '--by-allocation']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no allocation traces/);
});

test('bad ids, unknown classes and bad regexes: a clear message and exit 2', () => {
  const cases = [
    [['retainers', snapshot, '@999999999'], /no node has id @999999999/],
    [['retainers', snapshot, 'abc'], /'abc' is not a node id/],
    [['show', snapshot, '@12x'], /not a node id/],
    [['retainers', snapshot, '--class', 'NoSuchClass'], /no class named 'NoSuchClass'/],
    [['find', snapshot, '--class', '(['], /--class: bad regular expression/],
    [['summary', snapshot, '--filter', '*x'], /--filter: bad regular expression/],
    [['find', snapshot], /give at least one of/],
    [['dominators', snapshot, '--min-retained', 'lots'], /needs a size/],
  ];
  for (const [args, message] of cases) {
    const r = heapwise(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length <= 2, true);
  }
});

// The leak scenarios: each planted leak is the top-ranked group, with the
// right holder and pattern; on each control no group passes the threshold.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import test from 'node:test';

import { heapwise, heapwiseJson, tempDir } from './helpers.mjs';

const scenarios = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../scenarios');

// Runs a scenario once; returns its three snapshot paths.
function snapshotsOf(name) {
  const dir = tempDir(`heapwise-${name}-`);
  execFileSync(process.execPath, [path.join(scenarios, `${name}.js`), dir], { timeout: 120000 });
  return ['baseline', 'target', 'final'].map((s) => path.join(dir, `${s}.heapsnapshot`));
}

const leaks = [
  { name: 'leak-http-sessions', cls: 'Session', holder: /sessions \(closure variable\): Map › table/, pattern: 'growing-collection' },
  { name: 'leak-listeners', cls: 'Function', holder: /configBus \(closure variable\): EventEmitter › _events: Object › config: Array/, pattern: 'event-listeners' },
  { name: 'leak-interval', cls: 'Timeout', holder: /TimersList › \(_idle(Next|Prev): Timeout\)…$/, pattern: 'timers' },
  { name: 'leak-memoize', cls: '{key, html}', holder: /cache \(closure variable\): Object › \[key\]: \{key, html\}$/, pattern: 'unbounded-cache' },
  { name: 'leak-replace-thing', cls: '{longStr, someMethod}', holder: /theThing \(closure variable\): \{longStr, someMethod\} › \(someMethod: Function\)…/, pattern: 'closure-context' },
  { name: 'leak-registry', cls: 'Connection', holder: /Connection: Function › all: Array › \[\]: Connection$/, pattern: 'instance-registry' },
  { name: 'leak-map-keyed-by-request', cls: 'Request', holder: /requestMeta \(closure variable\): Map › table/, pattern: 'object-keyed-map' },
];

for (const leak of leaks) {
  test(`${leak.name}: the planted leak ranks first with its holder and pattern`, () => {
    const files = snapshotsOf(leak.name);
    const r = heapwiseJson(['leaks', ...files, '--json']);
    assert.equal(r.evidence, 'strong');
    assert.ok(r.leaks.length >= 1, 'a leak is reported');
    const top = r.leaks[0];
    assert.equal(top.class, leak.cls);
    assert.match(top.path, leak.holder);
    assert.equal(top.pattern?.pattern, leak.pattern, JSON.stringify(top.pattern));
    assert.ok(top.fix !== '', 'a fix is given');
    assert.ok(top.pattern.fix.length > 20);
    assert.ok(top.population[0] < top.population[1] && top.population[1] < top.population[2]);
    // --fail-on-leak makes CI fail; the human report names the pattern.
    const ci = heapwise(['leaks', ...files, '--fail-on-leak']);
    assert.equal(ci.status, 1);
    assert.match(ci.stdout, /^#1 {2}/m);
    assert.match(ci.stdout, /Pattern: /);
  });
}

for (const name of ['control-lru', 'control-weakmap', 'control-listeners', 'control-intervals', 'control-churn']) {
  test(`${name}: no group passes the default threshold`, () => {
    const files = snapshotsOf(name);
    const r = heapwiseJson(['leaks', ...files, '--json']);
    assert.deepEqual(r.leaks.map((l) => `${l.class} ${l.path}`), []);
    assert.equal(heapwise(['leaks', ...files, '--fail-on-leak']).status, 0);
  });
}

test('two snapshots: weaker evidence, said so', () => {
  const [base, , final] = snapshotsOf('leak-registry');
  const r = heapwiseJson(['leaks', base, final, '--json']);
  assert.equal(r.evidence, 'weak');
  assert.equal(r.leaks[0].class, 'Connection');
  assert.match(heapwise(['leaks', base, final]).stdout, /Only two snapshots/);
});

test('diff: new, deleted and deltas per class, matched by id', () => {
  const [base, target] = snapshotsOf('leak-registry');
  const d = heapwiseJson(['diff', base, target, '--json']);
  const row = d.classes.find((c) => c.name === 'Connection');
  assert.equal(row.new, 2000);
  assert.equal(row.deleted, 0);
  assert.equal(row.count_delta, 2000);
  assert.equal(row.size_delta, row.allocated_size - row.freed_size);
  assert.ok(d.shared_id_fraction > 0.9);
  // A snapshot against itself: nothing changed.
  assert.deepEqual(heapwiseJson(['diff', base, base, '--json']).classes, []);
});

test('stats prints the single-snapshot suspects', () => {
  const [, , final] = snapshotsOf('leak-listeners');
  const out = heapwise(['stats', final]).stdout;
  assert.match(out, /Suspects/);
  assert.match(out, /listeners for 'config'/);
  const j = heapwiseJson(['stats', final, '--json']);
  assert.ok(j.suspects.some((s) => s.pattern === 'event-listeners'));
});

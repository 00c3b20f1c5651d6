// The leak scenarios: each planted leak is the top-ranked group, with the
// right holder and pattern; on each control no group passes the threshold.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { heapwise, heapwiseJson, tempDir } from './helpers.mjs';
import { schemaErrors } from './json_schema.mjs';

const scenarios = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../scenarios');

// A file as heapwise prints it: relative to the working directory when under it.
function shownPath(file) {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

// Runs a scenario once (with node flags); returns its three snapshot paths.
function snapshotsOf(name, nodeFlags = []) {
  const dir = tempDir(`heapwise-${name}-`);
  execFileSync(process.execPath, [...nodeFlags, path.join(scenarios, `${name}.js`), dir], { timeout: 120000 });
  return ['baseline', 'target', 'final'].map((s) => path.join(dir, `${s}.heapsnapshot`));
}

// `named`: the name the top finding gives the holder, declared at `declared`
// (a line:column of the scenario's file); `created`: where the timer
// callback was created, for a holder without a name.
const leaks = [
  { name: 'leak-http-sessions', cls: 'Session', holder: /sessions \(closure variable\): Map › table/, pattern: 'growing-collection',
    named: 'sessions', declared: '7:7' },
  { name: 'leak-listeners', cls: 'Function', holder: /configBus \(closure variable\): EventEmitter › _events: Object › config: Array/, pattern: 'event-listeners',
    named: 'configBus', declared: '7:7' },
  { name: 'leak-interval', cls: 'Timeout', holder: /TimersList › \(_idle(Next|Prev): Timeout\)…$/, pattern: 'timers',
    created: '8:15' },
  { name: 'leak-memoize', cls: '{key, html}', holder: /cache \(closure variable\): Object › \[key\]: \{key, html\}$/, pattern: 'unbounded-cache',
    named: 'cache', declared: '6:9' },
  { name: 'leak-replace-thing', cls: '{longStr, someMethod}', holder: /theThing \(closure variable\): \{longStr, someMethod\} › \(someMethod: Function\)…/, pattern: 'closure-context',
    named: 'originalThing', declared: '9:9' },
  { name: 'leak-registry', cls: 'Connection', holder: /Connection: Function › all: Array › \[\]: Connection$/, pattern: 'instance-registry',
    named: 'Connection.all', declared: '6:10' },
  { name: 'leak-map-keyed-by-request', cls: 'Request', holder: /requestMeta \(closure variable\): Map › table/, pattern: 'object-keyed-map',
    named: 'requestMeta', declared: '13:7' },
  // A property path from the global object; a property has no declaration to point at.
  { name: 'leak-global-service', cls: '{rows}', holder: /service: Object › results: Map › table/, pattern: 'unbounded-cache',
    named: 'globalThis.service.results' },
  // Far under --min-size (about 12 KiB a step), found for being steady.
  { name: 'leak-small-steady', cls: 'Object', holder: /visits \(closure variable\): Array › \[\]: Object$/, pattern: 'growing-collection',
    named: 'visits', declared: '7:7', steady: true },
];

for (const leak of leaks) {
  test(`${leak.name}: the planted leak ranks first with its holder, pattern and allocation site`, () => {
    // With allocation stacks (as a hunt with --hunt-allocations takes them).
    const files = snapshotsOf(leak.name, ['--track-heap-objects']);
    const r = heapwiseJson(['leaks', ...files, '--json']);
    assert.deepEqual(schemaErrors(r, 'leaks-report.schema.json'), []);
    assert.equal(r.evidence, 'strong');
    assert.ok(r.leaks.length >= 1, 'a leak is reported');
    const top = r.leaks[0];
    assert.equal(top.class, leak.cls);
    assert.match(top.path, leak.holder);
    assert.equal(top.pattern?.pattern, leak.pattern, JSON.stringify(top.pattern));
    assert.ok(top.fix !== '', 'a fix is given');
    assert.ok(top.pattern.fix.length > 20);
    assert.ok(top.population[0] < top.population[1] && top.population[1] < top.population[2]);
    if (leak.steady) {
      assert.equal(top.steady, true);
      assert.ok(top.bytes_per_step < 100 * 1024, `${top.bytes_per_step} bytes per step`);
      assert.match(top.evidence, /^grew at each of 2 steps, steadily \(\+\d{3}, \+\d{3} objects\)$/);
    }
    // The holder by its name, and the line that declares it (or creates the timer's callback).
    const file = shownPath(path.join(scenarios, `${leak.name}.js`));
    if (leak.named) {
      assert.equal(top.pattern.name, leak.named);
      assert.equal(top.pattern.declared_at, leak.declared ? `${file}:${leak.declared}` : '');
    }
    // A fix written for this holder: its name is in the advice or the example.
    if (['growing-collection', 'event-listeners', 'object-keyed-map'].includes(leak.pattern))
      assert.ok((top.pattern.fix + top.pattern.example).includes(leak.named), top.pattern.fix);
    if (leak.created) assert.equal(top.pattern.created_at, `${file}:${leak.created}`);
    // Where the leaked objects were allocated: a function of the scenario (or
    // node's setInterval called from one), for most of them.
    const [site] = top.allocated_at;
    assert.ok(site.text.includes(`${file}:`), site.text);
    assert.ok(site.share > 0.5, `share ${site.share}`);
    // --fail-on-leak makes CI fail; the human report names the holder and where it is declared.
    const ci = heapwise(['leaks', ...files, '--fail-on-leak']);
    assert.equal(ci.status, 1);
    assert.match(ci.stdout, /^#1 {2}/m);
    assert.match(ci.stdout, /^ {4}what {6}\S/m);
    if (leak.named) {
      assert.ok(ci.stdout.includes(`held by   '${leak.named}': `), ci.stdout);
      if (leak.declared) assert.ok(ci.stdout.includes(`declared at ${file}:${leak.declared}`), ci.stdout);
    }
    assert.match(ci.stdout, /^ {4}allocated {1,2}\d+% {2}\S/m);
    assert.doesNotMatch(ci.stdout.split('\nSuspects')[0], /› .* › .* › .* › /, 'no retainer path without --full-path');
    assert.match(heapwise(['leaks', ...files, '--full-path']).stdout, /^ {4}example {3}.* › /m);
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

test('snapshots with allocation traces: each leak names the function that allocated its objects', () => {
  const files = snapshotsOf('leak-http-sessions', ['--track-heap-objects']);
  const r = heapwiseJson(['leaks', ...files, '--json']);
  assert.deepEqual(schemaErrors(r, 'leaks-report.schema.json'), []);
  const [site] = r.leaks[0].allocated_at;
  // The request handler, `(req, res) => {` on line 19.
  const file = shownPath(path.join(scenarios, 'leak-http-sessions.js'));
  assert.match(site.text, new RegExp(`^\\(anonymous\\) \\(${file.replace(/[.]/g, '\\.')}:19:34\\) ← `));
  // Most of them: 0.999 in a quiet run, 0.868 in one clean-clone run on a machine loaded twice
  // over, where V8 credited part of the objects to other frames (when it tiers code up depends
  // on timing), so the bar is a majority, not a fixed 90%.
  assert.ok(site.share > 0.5, `share ${site.share}`);
  assert.match(heapwise(['leaks', ...files]).stdout, /^ {4}allocated {1,2}\d+% {2}\(anonymous\) \(\S+leak-http-sessions\.js:19:34\)/m);
  // The summary's sites follow the same rule: one row per class and
  // allocating function, however many callers the optimizer made of its caller.
  const rows = heapwiseJson(['summary', files[2], '--by-allocation', '--json']).sites
    .filter((x) => x.script_name.endsWith('leak-http-sessions.js'));
  const keys = rows.map((x) => `${x.class} ${x.function}:${x.line}:${x.column}`);
  assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
  assert.ok(rows.some((x) => x.class === 'Session' && x.line === 19 && x.column === 34), 'the handler allocates the sessions');
  // Without traces: no allocation site is made up.
  assert.deepEqual(heapwiseJson(['leaks', ...snapshotsOf('leak-registry'), '--json']).leaks[0].allocated_at, []);
});

// The TypeScript scenario, compiled by tsc (Debian's node-typescript) with a
// source map beside the output or inline in it; returns its snapshots.
function typescriptSnapshotsOf(mapOption, nodeFlags = []) {
  const out = tempDir('heapwise-tsc-');
  execFileSync('tsc', [mapOption, '--target', 'es2020', '--module', 'commonjs', '--outDir', out,
                       path.join(scenarios, 'typescript', 'leak-jobs.ts')]);
  fs.copyFileSync(path.join(scenarios, 'harness.js'), path.join(out, 'harness.js'));
  const dir = tempDir('heapwise-leak-jobs-');
  execFileSync(process.execPath, [...nodeFlags, path.join(out, 'leak-jobs.js'), dir], { timeout: 120000 });
  return ['baseline', 'target', 'final'].map((s) => path.join(dir, `${s}.heapsnapshot`));
}

test('TypeScript with source maps: the finding points into the .ts file', () => {
  const ts = shownPath(path.join(scenarios, 'typescript', 'leak-jobs.ts'));
  for (const mapOption of ['--sourceMap', '--inlineSourceMap']) {
    const files = typescriptSnapshotsOf(mapOption, ['--track-heap-objects']);
    const r = heapwiseJson(['leaks', ...files, '--json']);
    assert.deepEqual(schemaErrors(r, 'leaks-report.schema.json'), []);
    const top = r.leaks[0];
    assert.equal(top.pattern.name, 'finishedJobs', mapOption);
    // `const finishedJobs` is on line 17 of the .ts file (line 2 of the compiled .js).
    assert.equal(top.pattern.declared_at, `${ts}:17:7 (source map)`, mapOption);
    // Allocated by makeJob, `function makeJob(id: number): Job {` on line 19.
    const [frame] = top.allocated_at[0].stack;
    assert.equal(frame.function, 'makeJob');
    assert.deepEqual(frame.original, { source: ts, line: 19, column: 17 });
    assert.match(frame.script, /leak-jobs\.js$/);
    const text = heapwise(['leaks', ...files]).stdout;
    assert.ok(text.includes(`declared at ${ts}:17:7 (source map)`), text);
    assert.ok(text.includes(`makeJob (${ts}:19:17, source map)`), text);
  }
});

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

test('a linked list that only grows: each entry counted once, in time linear in the list', () => {
  const files = snapshotsOf('leak-linked-list');
  const r = heapwiseJson(['leaks', ...files, '--json']);
  const top = r.leaks[0];
  assert.equal(top.class, '{previous, seen}');
  assert.deepEqual(top.population.map((n, i) => n - top.population[0]), [0, 3000, 6000]);
  // About a hundred bytes an entry: megabytes, not the gigabytes of counting
  // each entry with everything after it.
  const perEntry = (top.population_bytes[2] - top.population_bytes[0]) / 6000;
  assert.ok(perEntry > 16 && perEntry < 1000, `${perEntry} bytes per entry`);
});

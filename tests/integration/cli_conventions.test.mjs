// Every command follows the CLI conventions: --help (exit 0) shows its
// usage and an Options table, unknown options and wrong argument counts are
// usage errors (exit 2) with a pointer to --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heapwise } from './helpers.mjs';

const commands = ['summary', 'stats', 'retainers', 'show', 'dominators', 'find', 'strings', 'diff', 'leaks',
  'snapshot', 'profile', 'watch', 'nodes', 'open', 'cache'];

test('the command list in `heapwise help` is the one tested here', () => {
  const r = heapwise(['help']);
  assert.equal(r.status, 0);
  const listed = [...r.stdout.matchAll(/^  (\w+) {2,}/gm)].map((m) => m[1]);
  assert.deepEqual([...listed].sort(), [...commands].sort());
});

for (const name of commands) {
  test(`${name}: --help, unknown options, argument counts`, () => {
    const help = heapwise([name, '--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: heapwise ${name} `));
    assert.match(help.stdout, /\nOptions:\n/);
    assert.match(help.stdout, /-h, --help +show this help/);
    assert.equal(heapwise(['help', name]).stdout, help.stdout);

    // Every option the help lists is one the parser knows: none is "unknown".
    for (const [, option] of help.stdout.matchAll(/^ {2}(--[a-z-]+|-o)\b/gm)) {
      const r = heapwise([name, option, 'x', 'y', 'z', '--no-such-option']);
      assert.doesNotMatch(r.stderr, new RegExp(`unknown option ${option}\\b`), `${name} ${option}`);
    }

    const bad = heapwise([name, '--no-such-option']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, new RegExp(`^heapwise ${name}: unknown option --no-such-option\\nTry 'heapwise ${name} --help'`));
  });
}

test('argument counts are checked before any work', () => {
  for (const [args, message] of [
    [['summary'], /expects exactly one FILE/],
    [['summary', 'a', 'b'], /expects exactly one FILE/],
    [['diff', 'a'], /expects two files, A and B/],
    [['leaks', 'a'], /expects at least two snapshots/],
    [['show', 'a'], /expects FILE and @ID/],
    [['open'], /expects one FILE or more/],
    [['snapshot', '--pid', '1', 'file'], /takes no FILE/],
    [['cache', 'list', 'clear'], /takes at most one action: list or clear/],
  ]) {
    const r = heapwise(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
});

test('HEAPWISE_TIMINGS says whether huge pages are used and why; HEAPWISE_HUGE_PAGES decides', () => {
  const file = new URL('../fixtures/plain-app.heapsnapshot.gz', import.meta.url).pathname;
  const line = (env) => {
    const r = heapwise(['summary', '--no-cache', file], { env: { HEAPWISE_TIMINGS: '1', ...env } });
    assert.equal(r.status, 0, r.stderr);
    return r.stderr.split('\n').find((l) => l.startsWith('heapwise: huge pages '));
  };
  assert.equal(line({ HEAPWISE_HUGE_PAGES: '0' }), 'heapwise: huge pages off (HEAPWISE_HUGE_PAGES)');
  assert.equal(line({ HEAPWISE_HUGE_PAGES: '1' }), 'heapwise: huge pages on (HEAPWISE_HUGE_PAGES)');
  assert.match(line({ HEAPWISE_HUGE_PAGES: '' }),
    /^heapwise: huge pages (on|off) \(measured: 4 MiB faulted in [\d.]+ ms in 4 KiB pages, [\d.]+ ms in 2 MiB ones\)$|^heapwise: huge pages off \((not offered by the kernel|the kernel's setting is never)\)$/);
});

// Attaches `heapwise watch` to a fresh node target RUNS times, leaves after
// two seconds (SIGINT), and checks that the target is still running: the
// stress check for "a live process we talk to is never harmed" when heapwise
// closes the inspector it opened (docs/live-attach.md).
//   node scripts/repeat-leave.mjs [HEAPWISE_BIN] [RUNS]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = process.argv[2] || path.join(root, 'build/heapwise');
const runs = Number(process.argv[3] || 20);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const state = (pid) => {
  try {
    return /^State:\s+(.*)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1];
  } catch {
    return 'gone';
  }
};

let harmed = 0;
for (let i = 1; i <= runs; i++) {
  const target = spawn(process.execPath, ['--inspect-port=127.0.0.1:0', path.join(root, 'tests/fixtures/fault-target.js')],
                       { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  target.stdout.on('data', (d) => { out += d; });
  while (!/ready/.test(out)) await sleep(50);
  const watch = spawn(bin, ['watch', '--pid', String(target.pid), '--interval', '250ms', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  watch.stderr.on('data', (d) => { err += d; });
  while (!/watching PID/.test(err)) await sleep(50);
  await sleep(2000);
  watch.kill('SIGINT');
  const code = await new Promise((resolve) => watch.on('close', resolve));
  await sleep(500);
  const s = state(target.pid);
  const ok = target.exitCode === null && target.signalCode === null && !/^[TtZ]|gone/.test(s);
  if (!ok) harmed++;
  console.log(`run ${i}: watch exit ${code}, target ${ok ? 'running' : `HARMED (${s}, signal ${target.signalCode})`}`);
  target.kill('SIGKILL');
}
console.log(`${runs - harmed}/${runs} targets left running`);
process.exit(harmed ? 1 : 0);

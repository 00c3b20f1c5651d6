// Times a command's answer and its exit apart: when its stdout ends (what a
// reader such as `jq` waits for) and when the process exits (what a shell
// prompt waits for). heapwise writes cache entries between the two.
//   node bench/answer-latency.mjs build/heapwise summary FILE
import { spawn } from 'node:child_process';

const start = Date.now();
const seconds = () => ((Date.now() - start) / 1000).toFixed(2);
const child = spawn(process.argv[2], process.argv.slice(3), { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout.on('data', () => {});
child.stdout.on('end', () => console.log(`stdout ended after ${seconds()} s`));
child.on('exit', (code) => console.log(`exited (${code}) after ${seconds()} s`));

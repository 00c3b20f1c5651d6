// Shared helpers for the integration tests: run the real heapwise binary.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export const BIN = process.env.HEAPWISE_BIN || path.resolve('build/heapwise');
export const FIXTURES = process.env.HEAPWISE_FIXTURES ||
    path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures');

// Runs heapwise; returns {status, stdout, stderr}.
export function heapwise(args, options = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options,
                                    env: { ...process.env, NO_COLOR: '1', ...(options.env || {}) } });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// Runs heapwise and parses its JSON output; fails on a non-zero exit.
export function heapwiseJson(args) {
  const r = heapwise(args);
  if (r.status !== 0) throw new Error(`heapwise ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function readGzipJson(file) {
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
}

// A new directory under the system's temporary one, removed when the test
// process exits (HEAPWISE_KEEP_TEMP=1 keeps them to look at a failure): left
// behind, the snapshots of 20 stress runs filled a 75 GB disk.
const tempDirs = [];
process.on('exit', () => {
  if (process.env.HEAPWISE_KEEP_TEMP) return;
  for (const dir of tempDirs) {
    // A child still exiting (a watch told to stop) may write into it meanwhile:
    // what cannot be removed stays, never failing the test.
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {}
  }
});

export function tempDir(prefix = 'heapwise-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

// Whether process `pid` holds open an unnamed file in `dir`: a capture in
// progress (O_TMPFILE files read back as "DIR/#INODE (deleted)").
export function writingUnnamedFile(pid, dir) {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target.startsWith(`${dir}/#`) || target.startsWith(`${fs.realpathSync(dir)}/#`);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

// Resolves with the first match of `re` in a growing text (`getText()`), or
// rejects after `seconds`.
export function waitFor(getText, re, seconds) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const m = re.exec(getText());
      if (m) {
        clearInterval(poll);
        resolve(m);
      } else if (Date.now() - started > seconds * 1000) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${re}; got:\n${getText()}`));
      }
    }, 50);
  });
}

// Leak, in TypeScript: a job tracker keeps every finished job in a Map that
// nothing prunes. Compiled by tsc with a source map before it runs; the
// finding must point into this file, not into the compiled JavaScript.
//   tsc --sourceMap --outDir OUT leak-jobs.ts && cp ../harness.js OUT && node OUT/leak-jobs.js DIR
declare function require(name: string): any;
const { runScenario } = require('./harness');

type JobState = 'queued' | 'running' | 'done';

interface Job {
  id: number;
  state: JobState;
  payload: string;
  finishedAt?: number;
}

const finishedJobs: Map<number, Job> = new Map();

function makeJob(id: number): Job {
  return { id, state: 'queued', payload: `job-${id}-`.repeat(3) };
}

function finish(job: Job): void {
  job.state = 'done';
  job.finishedAt = Date.now();
  finishedJobs.set(job.id, job);
}

runScenario((i: number) => finish(makeJob(i)));

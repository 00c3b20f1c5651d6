// Leak: a memoized formatter caches every input it has seen, forever.
'use strict';
const { runScenario } = require('./harness');

function memoize(fn) {
  const cache = {};
  return (key) => {
    if (!(key in cache)) cache[key] = fn(key);
    return cache[key];
  };
}
const render = memoize((key) => ({ key, html: `<div class="user">${key}</div>`.repeat(4) }));

runScenario((i) => {
  render(`user-${i}`);
}, { perPhase: 3000 });

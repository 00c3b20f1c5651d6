// Control (no leak): an LRU cache at its bound, churning many entries.
'use strict';
const { runScenario } = require('./harness');

class LRU {
  constructor(max) {
    this.max = max;
    this.map = new Map();
  }
  get(key) {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key, value) {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value);
  }
}
const cache = new LRU(500);

runScenario((i) => {
  const key = `item-${i}`;
  if (!cache.get(key)) cache.set(key, { key, body: `payload ${i}`.repeat(8) });
}, { perPhase: 3000 });

// Control (no leak): listeners added per request and removed when it ends.
'use strict';
const { EventEmitter } = require('events');
const { runScenario } = require('./harness');

const bus = new EventEmitter();
bus.setMaxListeners(0);
const active = [];

runScenario((i) => {
  const handler = { id: i, data: `data ${i}`.repeat(10) };
  const listener = () => handler.id;
  bus.on('tick', listener);
  active.push(listener);
  if (active.length > 20) bus.off('tick', active.shift());
}, { perPhase: 3000 });

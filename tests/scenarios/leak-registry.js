// Leak: a class keeps a static registry of all its instances.
'use strict';
const { runScenario } = require('./harness');

class Connection {
  static all = [];
  constructor(id) {
    this.id = id;
    this.peer = `10.0.${id % 256}.${id % 200}`;
    this.stats = { sent: 0, received: 0, history: new Array(20).fill(id) };
    Connection.all.push(this);
  }
}
globalThis.Connection = Connection;

runScenario((i) => {
  new Connection(i);
}, { perPhase: 2000 });

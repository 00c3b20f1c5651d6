// Leak: a request handler class subscribes to a shared emitter for every
// request and never unsubscribes; each listener keeps its handler alive.
'use strict';
const { EventEmitter } = require('events');
const { runScenario } = require('./harness');

const configBus = new EventEmitter();
configBus.setMaxListeners(0);

class RequestHandler {
  constructor(id) {
    this.id = id;
    this.buffer = Buffer.alloc(256).toString('hex');
    this.onConfig = (cfg) => this.apply(cfg);
    configBus.on('config', this.onConfig);
  }
  apply(cfg) {
    return cfg && this.id;
  }
}

runScenario((i) => {
  new RequestHandler(i);
}, { perPhase: 1500 });

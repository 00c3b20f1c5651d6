// Leak: the classic replaceThing closure leak (Meteor's blog post): closures
// created in the same scope share one context, so each new thing keeps the
// previous one alive through `unused`'s captured variable.
'use strict';
const { runScenario } = require('./harness');

let theThing = null;
function replaceThing() {
  const originalThing = theThing;
  const unused = function () {
    if (originalThing) return 'hi';
  };
  theThing = {
    longStr: new Array(1000).join('*') + Math.random(),
    someMethod: function () {
      return unused;
    },
  };
}
globalThis.keep = () => theThing;

runScenario(() => replaceThing(), { perPhase: 300 });

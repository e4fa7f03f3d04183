#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";

// V8 optimises a function once it has used up an "interrupt budget" of executed bytecode. With the
// default (67,584) the compiler's functions are optimised before their type feedback has settled,
// and then deoptimised and optimised again: `cmc check` of a 20,000-line program spent ~20 % more
// time than with 300,000. Other commands measured no different (docs/performance.md).
setFlagsFromString("--interrupt-budget=300000");

const { main } = await import("../dist/bundle/main.js");

/** Exits once everything written to stdout and stderr has been handed over (a pipe may lag behind). */
function exitAfterFlush(code) {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

main(process.argv).then(exitAfterFlush, (error) => {
  console.error(`cmc: internal error: ${error instanceof Error ? error.message : String(error)}`);
  exitAfterFlush(70);
});

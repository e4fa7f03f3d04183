#!/usr/bin/env node
// CommonJS (bin/package.json), so that `cmc --version` alone is answered before Node.js sets up
// its ES module loader; every other command line runs the bundle of src/cli/main.ts.
"use strict";

/** Exits once everything written to stdout and stderr has been handed over (a pipe may lag behind). */
function exitAfterFlush(code) {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${require("../package.json").version}\n`);
} else {
  import("../dist/bundle/main.js")
    .then(({ main }) => main(process.argv))
    .then(exitAfterFlush, (error) => {
      console.error(`cmc: internal error: ${error instanceof Error ? error.message : String(error)}`);
      exitAfterFlush(70);
    });
}

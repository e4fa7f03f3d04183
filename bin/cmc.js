#!/usr/bin/env node
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

/**
 * A second cmc process for the store tests (compiled by helpers.ts). Commands (argv):
 *   claim <dir> <run>         open, print "ready", wait for "go" on stdin, claim, print the outcome
 *                             as JSON, then stay alive until stdin closes
 *   append-hang <dir> <run>   append one event, print "appended <seq>" once it resolved, then hang
 *   append-many <dir> <run> <n> <tag>   wait for "go", append n events concurrently, print "done";
 *                             their results are objects of ten shapes of this tag's own
 *   dump <dir> <run>          print the run's journal as JSON
 */
import { hostname } from "node:os";
import { createInterface } from "node:readline";
import { openStore } from "../../src/runtime/store/index.js";

const [command, dir, run, count, tag] = process.argv.slice(2);
const store = openStore(dir!);
const stdin = createInterface({ input: process.stdin });
const lines = stdin[Symbol.asyncIterator]();

async function waitFor(word: string): Promise<void> {
  for (;;) {
    const next = await lines.next();
    if (next.done) process.exit(1);
    if (next.value.trim() === word) return;
  }
}

switch (command) {
  case "claim": {
    console.log("ready");
    await waitFor("go");
    const outcome = await store.claim(run!, { pid: process.pid, host: hostname(), since: Date.now() });
    console.log(JSON.stringify(outcome));
    stdin.on("close", () => process.exit(0));
    break;
  }
  case "append-hang": {
    const seq = await store.append(run!, { type: "resumed", pid: process.pid });
    console.log(`appended ${seq}`);
    setInterval(() => undefined, 1000);
    break;
  }
  case "append-many": {
    console.log("ready");
    await waitFor("go");
    await Promise.all(
      Array.from({ length: Number(count) }, (_, i) =>
        store.append(run!, { type: "step-finished", key: `${tag}${i}`, result: { [`${tag}${i % 10}`]: i, tag } }),
      ),
    );
    await store.close();
    console.log("done");
    process.exit(0);
  }
  case "dump": {
    console.log(JSON.stringify(store.events(run!)));
    await store.close();
    break;
  }
  default:
    throw new Error(`unknown command ${command}`);
}

#!/usr/bin/env node
import { main } from "../dist/cli/main.js";

main(process.argv).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`cmc: internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(70);
  },
);

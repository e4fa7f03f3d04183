#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli/main.ts and everything it imports, dependencies included) into
 * dist/bundle/ with esbuild, for start-up: Node.js loads a few chunks instead of about 350 ES
 * modules. Commands and heavy dependencies stay in chunks of their own that load when needed.
 * lmdb stays external (native code). `bin/cmc.js` runs the bundle; tsc's per-file output in dist/
 * remains for tests and benchmarks that import single modules.
 *
 *   node scripts/bundle.js
 */
import { build } from "esbuild";
import { renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = `${root}dist/bundle`;
// Built beside the old bundle and swapped in, so that a `cmc` started meanwhile still finds one.
const outdir = `${target}.${process.pid}`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["lmdb"],
  sourcemap: true,
  logLevel: "warning",
  // Bundled CommonJS dependencies (commander) call `require` for Node.js built-ins.
  banner: { js: 'import { createRequire as __cmcCreateRequire } from "node:module"; const require = __cmcCreateRequire(import.meta.url);' },
});
const old = `${target}.old.${process.pid}`;
try {
  renameSync(target, old);
} catch {
  // no earlier bundle
}
renameSync(outdir, target);
rmSync(old, { recursive: true, force: true });

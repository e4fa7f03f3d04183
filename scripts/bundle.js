#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli/main.ts and everything it imports, dependencies included) into
 * dist/bundle/ with esbuild, for start-up: Node.js loads a few chunks instead of about 350 ES
 * modules. Commands and heavy dependencies stay in chunks of their own that load when needed.
 * lmdb stays external (native code). The recovering parser (src/compiler/parser/recovering.ts, with
 * chevrotain) is a CommonJS file of its own, `recovering.cjs`, required when `parse()` first meets a
 * syntax error: `parse()` is synchronous, and Node.js 20 cannot load an ES module synchronously.
 * `bin/cmc.js` runs the bundle; tsc's per-file output in dist/ remains for tests and benchmarks
 * that import single modules.
 *
 *   node scripts/bundle.js
 */
import { build } from "esbuild";
import { renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = `${root}dist/bundle`;
// Built beside the old bundle and swapped in, so that a `cmc` started meanwhile still finds one.
const outdir = `${target}.${process.pid}`;
rmSync(outdir, { recursive: true, force: true });

/** `./recovering.js` as the parser imports it, in the ES-module bundle: its exports, each requiring `recovering.cjs` on first call. */
const recoveringOnDemand = {
  name: "recovering-on-demand",
  setup(b) {
    b.onResolve({ filter: /\/recovering\.js$/ }, (args) =>
      args.importer.endsWith(path.join("src", "compiler", "parser", "index.ts")) ? { path: "recovering", namespace: "on-demand" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "on-demand" }, () => ({
      contents: [
        "let loaded;",
        'const recovering = () => (loaded ??= require("./recovering.cjs"));',
        ...["parseRange", "discardParser"].map((name) => `export function ${name}(...args) { return recovering().${name}(...args); }`),
      ].join("\n"),
      loader: "js",
    }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ["src/compiler/parser/recovering.ts"],
  outfile: `${outdir}/recovering.cjs`,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
});
await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["lmdb", "./recovering.cjs"],
  plugins: [recoveringOnDemand],
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

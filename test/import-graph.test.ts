/**
 * The layering of docs/architecture.md, read from the sources' import statements: no module of
 * `src/` imports itself through others (an import circle), and the compiler imports nothing of the
 * runtime or the command line.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src/", import.meta.url));

/** Every `.ts` file under `src/`, relative to it, with the `src/` files it imports (`import type` and `import(…)` too). */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(src, file), "utf8");
    const imports = /^(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)\.js"|\bimport\(\s*"(\.{1,2}\/[^"]+)\.js"\s*\)/gms;
    const targets = [...text.matchAll(imports)].map((m) => path.normalize(path.join(path.dirname(file), `${m[1] ?? m[2]}.ts`)));
    graph.set(file, targets);
  }
  return graph;
}

/** The import circles of `graph`, each as the path that closes it (`a → b → a`). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (file: string, stack: string[]): void => {
    const at = stack.indexOf(file);
    if (at >= 0) {
      found.push([...stack.slice(at), file].join(" → "));
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...stack, file]);
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file, []);
  return found;
}

describe("the import graph of src/", () => {
  const graph = importGraph();

  it("is read from the sources", () => {
    expect(graph.get("cli/program.ts")).toEqual(expect.arrayContaining(["cli/exit.ts", "cli/commands/run.ts"]));
  });

  it("has no import circles", () => {
    expect(circles(graph)).toEqual([]);
  });

  it("keeps the compiler free of the runtime and the command line", () => {
    const outside = [...graph].flatMap(([file, targets]) =>
      file.startsWith("compiler/") ? targets.filter((t) => !t.startsWith("compiler/")).map((t) => `${file} → ${t}`) : [],
    );
    expect(outside).toEqual([]);
  });
});

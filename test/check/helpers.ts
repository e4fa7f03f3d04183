/** Helpers for checker tests: compile inline sources with the real standard library. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../src/compiler/diagnostics.js";
import { memoryHost } from "../../src/compiler/host.js";
import { compile } from "../../src/compiler/index.js";

const stdlibDir = fileURLToPath(new URL("../../stdlib/", import.meta.url));

/** Every `stdlib/*.cm` file keyed as `std/<name>`. */
export const stdlib: Readonly<Record<string, string>> = Object.fromEntries(
  readdirSync(stdlibDir)
    .filter((f) => f.endsWith(".cm"))
    .map((f) => [`std/${f.slice(0, -3)}`, readFileSync(stdlibDir + f, "utf8")]),
);

/** The program of LANGUAGE.md §1 (quoted verbatim at the top of docs/language.md). */
export const featureProgram: string = (() => {
  const lang = readFileSync(fileURLToPath(new URL("../../docs/language.md", import.meta.url)), "utf8");
  const start = lang.indexOf("```cm\n") + "```cm\n".length;
  return lang.slice(start, lang.indexOf("```\n", start));
})();

/** Compiles `main.cm` with `source`, plus extra modules by key. */
export function compileSource(source: string, extra: Record<string, string> = {}) {
  return compile("main.cm", memoryHost({ ...stdlib, ...extra, "main.cm": source }));
}

/** The diagnostics of `source` as `CODE message` lines. */
export function diags(source: string, extra: Record<string, string> = {}): string[] {
  return compileSource(source, extra).diagnostics.map((d) => `${d.code} ${d.message}`);
}

/** The codes of the diagnostics of `source`. */
export function codes(source: string, extra: Record<string, string> = {}): string[] {
  return compileSource(source, extra).diagnostics.map((d) => d.code);
}

/** The first diagnostic, for tests about labels, help and spans. */
export function first(source: string, extra: Record<string, string> = {}): Diagnostic | undefined {
  return compileSource(source, extra).diagnostics[0];
}

const prelude = 'import { claude, codex, command, scripted } from "std/agents"\n';

/**
 * A workflow `main` with `body`, agents `a` (claude) and `c` (codex) at top level and the
 * standard constructors imported; `params` is the parameter list.
 */
export function wf(body: string, params = "", returns = ""): string {
  return `${prelude}export agent a = claude()\nexport agent c = codex()\nworkflow main(${params}) ${returns ? `-> ${returns} ` : ""}{\n${body}\n}\n`;
}

/** `codes` of `wf(body, params, returns)`. */
export function wfCodes(body: string, params = "", returns = ""): string[] {
  return codes(wf(body, params, returns));
}

/** `diags` of `wf(body, params, returns)`. */
export function wfDiags(body: string, params = "", returns = ""): string[] {
  return diags(wf(body, params, returns));
}

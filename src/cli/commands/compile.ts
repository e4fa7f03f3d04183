/**
 * `cmc compile FILE [-o out.json]`: compiles a file and prints its IR as JSON (or writes it to a
 * file). Diagnostics go to stderr as `cmc check` prints them; a compile error exits 2.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hasErrors } from "../../compiler/diagnostics.js";
import { compile as compileModule } from "../../compiler/index.js";
import type { IrProgram } from "../../compiler/ir/ir.js";
import { EXIT, UsageError } from "../exit.js";
import { projectHost, projectSettings } from "../project.js";
import { reportToStderr } from "../render-diagnostics.js";

/**
 * Compiles `file` (relative to the working folder), printing its diagnostics to stderr. Resolves to
 * the IR, or to undefined when the program has errors. A missing file is a usage error.
 */
export function compileFile(file: string): IrProgram | undefined {
  const cwd = process.cwd();
  const abs = path.resolve(cwd, file);
  let isFile = false;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    throw new UsageError(`no such file: ${file}`);
  }
  if (!isFile) throw new UsageError(`not a file: ${file}`);
  const host = projectHost(cwd, projectSettings(cwd));
  const key = host.keyOf(abs);
  try {
    const result = compileModule(key, host);
    reportToStderr(result.diagnostics, result.sources);
    return hasErrors(result.diagnostics) ? undefined : result.ir;
  } catch (error) {
    process.stderr.write(
      `error[E0000]: internal error while compiling ${key}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return undefined;
  }
}

/** Runs `cmc compile`; resolves to the exit code. */
export async function compile(file: string, opts: { output?: string }): Promise<number> {
  const ir = compileFile(file);
  if (ir === undefined) return EXIT.usage;
  const json = `${JSON.stringify(ir, null, 2)}\n`;
  if (opts.output !== undefined) {
    try {
      const target = path.resolve(process.cwd(), opts.output);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, json);
    } catch (error) {
      throw new UsageError(`cannot write ${opts.output}: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    process.stdout.write(json);
  }
  return EXIT.ok;
}

/** `cmc doctor [--json]`: renders the runtime's checks of the agent CLIs and the machine; exit 0 when none failed. */
import path from "node:path";
import { styleText } from "node:util";
import { doctor as runDoctor, type Check, type CheckStatus } from "../../runtime/doctor/index.js";
import { defaultStoreDir } from "../../runtime/store/index.js";
import { EXIT, type GlobalOptions } from "../exit.js";
import { shouldColor } from "../render-diagnostics.js";

const MARK: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", absent: "-" };
const COLOUR: Record<CheckStatus, "green" | "yellow" | "red" | "gray"> = { ok: "green", warn: "yellow", fail: "red", absent: "gray" };

export async function doctor(opts: GlobalOptions & { json: boolean }): Promise<number> {
  const cwd = process.cwd();
  const storeDir = defaultStoreDir(cwd, opts.store);
  const shown = path.relative(cwd, storeDir) || ".";
  const report = await runDoctor(cwd, storeDir, shown.startsWith("..") ? storeDir : shown);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? EXIT.ok : EXIT.failed;
  }
  const color = shouldColor(process.stdout);
  const paint = (status: CheckStatus, text: string) => (color ? styleText(COLOUR[status], text) : text);
  const width = Math.max(...[...report.agents, ...report.system].map((c) => c.name.length));
  const line = (c: Check): string[] => {
    const out = [`  ${paint(c.status, MARK[c.status])} ${c.name.padEnd(width)}  ${c.summary}`];
    if (c.fix) out.push(`  ${" ".repeat(width + 4)}fix: ${c.fix}`);
    return out;
  };
  const problems = [...report.agents, ...report.system].filter((c) => c.status === "fail").length;
  const out = [
    "agents",
    ...report.agents.flatMap(line),
    "",
    "system",
    ...report.system.flatMap(line),
    "",
    report.ok ? "all is well" : `${problems} problem${problems === 1 ? "" : "s"} to fix`,
  ];
  process.stdout.write(`${out.join("\n")}\n`);
  return report.ok ? EXIT.ok : EXIT.failed;
}

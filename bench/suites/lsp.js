/**
 * Benchmark 10 — the language server: `cmc lsp` as a real process over stdio (vscode-jsonrpc), a
 * workspace of a generated ~5,000-line module (bench/gen-program.js) that 20 other open files
 * import. Timed from the client: diagnostics after a one-character edit of the big module (until
 * the big file's diagnostics arrive, and until every importer has been re-checked), hover and completion
 * in it; the server's resident memory with that workspace open, and with ten such modules
 * (~50,000 lines) open.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import rpc from "vscode-jsonrpc/node.js";
import { generateProgram } from "../gen-program.js";
import { cmcBin, fmtMs, scratch } from "../lib/util.js";

const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = rpc;

const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The server's resident set, from /proc (Linux). */
function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function start(dir) {
  const child = execa(process.execPath, [cmcBin, "lsp", "--stdio"], { cwd: dir, reject: false, buffer: false, stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  connection.onNotification("textDocument/publishDiagnostics", ({ uri }) => {
    const w = waiting.get(uri);
    if (w) {
      waiting.delete(uri);
      w();
    }
  });
  connection.listen();
  await connection.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
  await connection.sendNotification("initialized", {});
  const uri = (file) => pathToFileURL(path.join(dir, file)).href;
  return {
    child,
    connection,
    uri,
    /** Resolves at the next diagnostics notification for `file`. */
    published: (file) => new Promise((resolve) => waiting.set(uri(file), resolve)),
    async open(file, text) {
      const done = this.published(file);
      await connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(file), languageId: "cm", version: 1, text } });
      await done;
    },
    async stop() {
      await connection.sendRequest("shutdown");
      await connection.sendNotification("exit");
      await child;
      connection.dispose();
    },
  };
}

/** The position of the first `needle` in `text` (0-based line and character), shifted by `delta` characters. */
function positionOf(text, needle, delta = 0) {
  const at = text.indexOf(needle) + delta;
  const before = text.slice(0, at);
  return { line: before.split("\n").length - 1, character: at - before.lastIndexOf("\n") - 1 };
}

/** @param {{ runs: number, importers?: number, lines?: number }} o */
export async function lspBench({ runs, importers = 20, lines = 5_000 }) {
  const samples = Math.max(30, runs * 20);
  const dir = scratch("lsp");
  const big = generateProgram(lines);
  const bigLines = big.split("\n").length - 1;
  writeFileSync(path.join(dir, "big.cm"), big);
  writeFileSync(path.join(dir, "replies.json"), "[]\n");
  const importerText = (i) =>
    `import { flow${i} } from "./big.cm"\n\nworkflow main${i}(name: string) -> int {\n  step run = flow${i}(name: name)\n  return run.count\n}\n`;
  const importerFiles = Array.from({ length: importers }, (_, i) => `use${i}.cm`);
  importerFiles.forEach((f, i) => writeFileSync(path.join(dir, f), importerText(i)));

  const server = await start(dir);
  await server.open("big.cm", big);
  for (const [i, f] of importerFiles.entries()) await server.open(f, importerText(i));
  const openRss = rssMb(server.child.pid);

  // The edit: a digit typed into a `let` (`let limit = rounds * 2 + 0`) and deleted again, by turns
  // (so the declarations after it move by one character each time).
  const target = positionOf(big, "rounds * 2 + ", "rounds * 2 + ".length);
  const edited = [];
  const everyFile = [];
  let version = 1;
  for (let i = 0; i < samples; i++) {
    const published = server.published("big.cm");
    const started = now();
    version++;
    await server.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri: server.uri("big.cm"), version },
      contentChanges: [
        version % 2 === 0
          ? { range: { start: target, end: target }, text: "1" }
          : { range: { start: target, end: { line: target.line, character: target.character + 1 } }, text: "" },
      ],
    });
    await published;
    edited.push(now() - started);
    // The importers are re-checked in the same turn, after big.cm's diagnostics are sent (each is
    // sent only when it changed): a request's answer comes once they all are done.
    await server.connection.sendRequest("textDocument/documentSymbol", { textDocument: { uri: server.uri("use0.cm") } });
    everyFile.push(now() - started);
  }

  const hoverAt = positionOf(big, "prepare.stdout", 2);
  const completeAt = positionOf(big, "prepare.stdout", "prepare.".length);
  const timeRequest = async (method, position) => {
    const out = [];
    for (let i = 0; i < samples; i++) {
      const started = now();
      await server.connection.sendRequest(method, { textDocument: { uri: server.uri("big.cm") }, position });
      out.push(now() - started);
    }
    return out;
  };
  const hover = await timeRequest("textDocument/hover", hoverAt);
  const completion = await timeRequest("textDocument/completion", completeAt);
  await server.stop();

  // Memory: ten ~5,000-line modules (~50,000 lines) open at once.
  const wide = scratch("lsp-wide");
  writeFileSync(path.join(wide, "replies.json"), "[]\n");
  const wideServer = await start(wide);
  for (let i = 0; i < 10; i++) {
    writeFileSync(path.join(wide, `part${i}.cm`), big);
    await wideServer.open(`part${i}.cm`, big);
  }
  const wideRss = rssMb(wideServer.child.pid);
  await wideServer.stop();

  const p95 = {
    edited: percentile(edited, 95),
    everyFile: percentile(everyFile, 95),
    hover: percentile(hover, 95),
    completion: percentile(completion, 95),
  };
  const row = (what, xs) => [what, fmtMs(percentile(xs, 50)), fmtMs(percentile(xs, 95)), fmtMs(Math.max(...xs))];
  return {
    id: "lsp",
    title: `10. The language server: a ${bigLines.toLocaleString("en-US")}-line module that ${importers} open files import`,
    commands: [
      `node bin/cmc.js lsp --stdio   # driven over stdio by bench/suites/lsp.js (vscode-jsonrpc): big.cm (bench/gen-program.js) and ${importers} files importing it, all open`,
    ],
    head: ["request (from the client)", "p50", "p95", "max"],
    rows: [
      row("diagnostics of big.cm after a character typed or deleted", edited),
      row(`… and all ${importers} importers re-checked too`, everyFile),
      row("hover in big.cm", hover),
      row("completion after `.` in big.cm", completion),
      ["memory (RSS) with these 21 files open", `${openRss.toFixed(0)} MB`, "", ""],
      ["memory (RSS) with ten such modules open (~50,000 lines)", `${wideRss.toFixed(0)} MB`, "", ""],
    ],
    targets: [
      { what: "diagnostics after a one-character edit (p95, the edited file)", value: fmtMs(p95.edited), goal: "≤ 30 ms", met: p95.edited <= 30 },
      { what: "hover (p95)", value: fmtMs(p95.hover), goal: "≤ 10 ms", met: p95.hover <= 10 },
      { what: "completion (p95)", value: fmtMs(p95.completion), goal: "≤ 10 ms", met: p95.completion <= 10 },
      { what: "memory for a 50,000-line workspace", value: `${wideRss.toFixed(0)} MB`, goal: "≤ 200 MB", met: wideRss <= 200 },
    ],
    notes: [
      `${samples} samples of each. An edit parses again only the declarations around it (those after it keep their trees, with their offsets moved: compiler/parser/incremental.ts) and checks again only the workflow it touched (the others' findings are kept: compiler/check/memo.ts); big.cm's diagnostics are sent, and then each open importer's own declarations are checked again (the importers' programs do not check big.cm again). The whole analysis that hover, completion and the other queries read is made when the first query after an edit needs it. Hover and completion are measured in the declaration last edited; completion in another declaration first checks the file once more to see the names visible there.`,
    ],
    raw: { samples, edited, everyFile, hover, completion, openRss, wideRss },
  };
}

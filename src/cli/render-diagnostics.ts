/**
 * Renders compiler diagnostics for people (LANGUAGE.md §10) and as JSON for tools. This is the only
 * place where spans become lines and columns.
 */
import { styleText } from "node:util";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { LineIndex } from "../compiler/line-index.js";

/** How wide a tab is once expanded in a source excerpt. */
const TAB_WIDTH = 4;

/** A diagnostic as `cmc check --format json` prints it. Lines and columns are 1-based; `endColumn` is exclusive. */
export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly file: string;
  /** Null only when the file's text is unknown. */
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
  readonly help: string | null;
}

/** Sources by module key, as the compiler returns them (a Map or a plain object). */
export type Sources = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

/** The text of `file` in `sources`, if known. */
export function sourceOf(sources: Sources, file: string): string | undefined {
  if (sources instanceof Map) return sources.get(file);
  const record = sources as Readonly<Record<string, string>>;
  return Object.hasOwn(record, file) ? record[file] : undefined;
}

/**
 * Whether to colour output written to `stream`: never when NO_COLOR is set (non-empty), always when
 * FORCE_COLOR is set to anything but `0`/`false`, else only on a terminal.
 */
export function shouldColor(
  stream: { readonly isTTY?: boolean } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return stream.isTTY === true;
}

type Style = Parameters<typeof styleText>[0];

function painter(color: boolean): (style: Style, text: string) => string {
  return color ? (style, text) => styleText(style, text) : (_style, text) => text;
}

/** Expands tabs in `line`; also returns a map from UTF-16 column index (0-based) to display column. */
function expandTabs(line: string): { text: string; display: (index: number) => number } {
  const columns: number[] = [];
  let text = "";
  for (let i = 0; i < line.length; i++) {
    columns.push(text.length);
    const ch = line[i]!;
    if (ch === "\t") text += " ".repeat(TAB_WIDTH - (text.length % TAB_WIDTH));
    else text += ch;
  }
  columns.push(text.length);
  return { text, display: (index) => (index < columns.length ? columns[index]! : text.length + index - line.length) };
}

/** The text of 1-based line `n` in `source`, without its line break. */
function lineText(source: string, lineStartOffset: number): string {
  let end = source.indexOf("\n", lineStartOffset);
  if (end === -1) end = source.length;
  if (end > lineStartOffset && source.charCodeAt(end - 1) === 13) end--;
  return source.slice(lineStartOffset, end);
}

/**
 * Renders one diagnostic in the §10 format:
 *
 * ```
 * error[E0301]: unknown step `tset`
 *   --> examples/feature.cm:31:11
 *    |
 * 31 |   } until tset.ok
 *    |           ^^^^ not defined in workflow `feature`
 *    |
 *    = help: did you mean `test`?
 * ```
 *
 * A span over several lines shows its first line, carets to the end of it, and `...`. Without the
 * source, only the header, the location and the help are printed. The result has no final newline.
 */
export function renderDiagnostic(
  d: Diagnostic,
  source: string | undefined,
  opts: { color: boolean },
  lines: LineIndex | undefined = source === undefined ? undefined : new LineIndex(source),
): string {
  const paint = painter(opts.color);
  const severityStyle: Style = d.severity === "error" ? ["bold", "red"] : ["bold", "yellow"];
  const header = `${paint(severityStyle, `${d.severity}[${d.code}]`)}${paint("bold", `: ${d.message}`)}`;

  if (source === undefined || lines === undefined) {
    const out = [header, `  ${paint("blue", "-->")} ${d.file}`];
    if (d.label) out.push(`   ${paint("blue", "=")} ${d.label}`);
    if (d.help) out.push(`   ${paint("blue", "=")} ${paint("bold", "help")}: ${d.help}`);
    return out.join("\n");
  }

  const start = lines.position(d.span.start);
  const end = lines.position(Math.max(d.span.end, d.span.start));
  const gutterWidth = String(start.line).length;
  const pad = " ".repeat(gutterWidth);
  const bar = paint("blue", "|");

  const lineStartOffset = Math.min(d.span.start, source.length) - (start.column - 1);
  const raw = lineText(source, lineStartOffset);
  const { text, display } = expandTabs(raw);
  const from = display(start.column - 1);
  // A span that ends just after a line break (say, an unexpected newline) stays on its first line.
  const last = d.span.end > d.span.start ? lines.position(d.span.end - 1) : start;
  const multiLine = last.line > start.line;
  const to =
    end.line > start.line
      ? Math.max(display(raw.length) + (multiLine ? 0 : 1), from + 1)
      : Math.max(display(end.column - 1), from + 1);
  const carets = paint(severityStyle, "^".repeat(to - from) + (multiLine ? " ..." : ""));
  const label = d.label ? ` ${paint(severityStyle, d.label)}` : "";

  const out = [
    header,
    `${pad}${paint("blue", "-->")} ${d.file}:${start.line}:${start.column}`,
    `${pad} ${bar}`,
    `${paint("blue", String(start.line))} ${bar}${text === "" ? "" : ` ${text}`}`,
    `${pad} ${bar} ${" ".repeat(from)}${carets}${label}`,
  ];
  if (d.help) {
    out.push(`${pad} ${bar}`);
    out.push(`${pad} ${paint("blue", "=")} ${paint("bold", "help")}: ${d.help}`);
  }
  return out.join("\n");
}

/** Renders every diagnostic, separated by blank lines, each with its file's text from `sources`. */
export function renderDiagnostics(ds: readonly Diagnostic[], sources: Sources, opts: { color: boolean }): string {
  const lines = lineIndexes(sources);
  return ds.map((d) => renderDiagnostic(d, sourceOf(sources, d.file), opts, lines(d.file))).join("\n\n");
}

/** Each file's line index, built on first use: positions are found in log time, not by rescanning the text. */
function lineIndexes(sources: Sources): (file: string) => LineIndex | undefined {
  const built = new Map<string, LineIndex | undefined>();
  return (file) => {
    if (!built.has(file)) {
      const source = sourceOf(sources, file);
      built.set(file, source === undefined ? undefined : new LineIndex(source));
    }
    return built.get(file);
  };
}

/** The JSON form of diagnostics (`cmc check --format json`). */
export function diagnosticsToJson(ds: readonly Diagnostic[], sources: Sources): JsonDiagnostic[] {
  const lines = lineIndexes(sources);
  return ds.map((d) => {
    const index = lines(d.file);
    const start = index?.position(d.span.start);
    const end = index?.position(Math.max(d.span.end, d.span.start));
    return {
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.file,
      line: start?.line ?? null,
      column: start?.column ?? null,
      endLine: end?.line ?? null,
      endColumn: end?.column ?? null,
      help: d.help ?? null,
    };
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The closing line of a check: `error: 3 errors, 1 warning in 2 files`, or `warning: 1 warning in
 * 1 file` when there are only warnings; undefined when there is nothing to report.
 */
export function summarize(ds: readonly Diagnostic[], opts: { color: boolean }): string | undefined {
  if (ds.length === 0) return undefined;
  const paint = painter(opts.color);
  const errors = ds.filter((d) => d.severity === "error").length;
  const warnings = ds.length - errors;
  const files = new Set(ds.map((d) => d.file)).size;
  const counts = [errors > 0 ? plural(errors, "error") : "", warnings > 0 ? plural(warnings, "warning") : ""]
    .filter((s) => s !== "")
    .join(", ");
  const head = errors > 0 ? paint(["bold", "red"], "error") : paint(["bold", "yellow"], "warning");
  return `${head}${paint("bold", `: ${counts} in ${plural(files, "file")}`)}`;
}

/** Diagnostics by file (in order of first appearance), then position. */
export function ordered(ds: readonly Diagnostic[]): Diagnostic[] {
  const fileOrder = new Map<string, number>();
  for (const d of ds) if (!fileOrder.has(d.file)) fileOrder.set(d.file, fileOrder.size);
  return [...ds].sort(
    (a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.span.start - b.span.start || a.span.end - b.span.end,
  );
}

/** Prints `diagnostics` in the pretty format, ordered, with the summary line, to stderr; nothing when there are none. */
export function reportToStderr(diagnostics: readonly Diagnostic[], sources: Sources): void {
  if (diagnostics.length === 0) return;
  const color = shouldColor(process.stderr);
  const sorted = ordered(diagnostics);
  process.stderr.write(`${renderDiagnostics(sorted, sources, { color })}\n\n${summarize(sorted, { color })}\n`);
}

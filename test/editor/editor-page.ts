/**
 * An HTML page drawn like VS Code's window around one open `.cm` file: the highlighted code with
 * line numbers and indent guides, wavy underlines at the language server's diagnostics, the hover
 * widget of one diagnostic (with the server's quick fixes), the hover widget of one position, the
 * suggest widget of one completion, the Problems panel and the status bar. Everything shown comes
 * from the scene; the page adds only the window's chrome.
 */
import { escapeHtml, spanHtml } from "./html.js";
import type { Span } from "./highlight.js";
import { UI } from "./dark-plus.js";

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface Diagnostic {
  readonly range: Range;
  readonly severity: number;
  readonly code: string;
  readonly source?: string;
  readonly message: string;
}

export interface CompletionItem {
  readonly label: string;
  readonly detail?: string;
}

export interface Scene {
  /** The file's path in the workspace, `/`-separated. */
  readonly path: string;
  readonly lines: readonly (readonly Span[])[];
  readonly diagnostics: readonly Diagnostic[];
  /** Where the cursor is and what completion offered there. */
  readonly completion: { readonly at: Position; readonly items: readonly CompletionItem[] };
  /** A hover's range and its markdown as HTML. */
  readonly hover: { readonly range: Range; readonly html: string };
  /** The diagnostic the mouse is over (an index into `diagnostics`) and the titles of its quick fixes. */
  readonly problemHover: { readonly diagnostic: number; readonly quickFixes: readonly string[] };
}

/** Pixel sizes of the editor: VS Code's defaults on Linux for a 14 px font. */
export const LINE_HEIGHT = 19;
const SUGGEST_ROW = 22;
const BLANK_ROWS_BELOW = 4;

/** `start`/`end` of the part of `range` on `line`, or undefined when the range misses it. */
function onLine(range: Range, line: number, length: number): { start: number; end: number } | undefined {
  if (line < range.start.line || line > range.end.line) return undefined;
  const start = line === range.start.line ? range.start.character : 0;
  const end = line === range.end.line ? range.end.character : length;
  return { start, end: Math.max(end, start) };
}

/** A line's spans cut where diagnostics start and end, each piece with the diagnostics over it. */
function lineHtml(spans: readonly Span[], line: number, diagnostics: readonly Diagnostic[]): string {
  const length = spans.at(-1)?.end ?? 0;
  const parts = diagnostics.map((d, i) => ({ i, at: onLine(d.range, line, length) })).filter((p) => p.at !== undefined && p.at.end > p.at.start);
  const cuts = new Set<number>();
  for (const p of parts) cuts.add(p.at!.start).add(p.at!.end);
  const pieces: { span: Span; start: number; end: number }[] = [];
  for (const span of spans) {
    const inside = [...cuts].filter((c) => c > span.start && c < span.end).sort((a, b) => a - b);
    let from = span.start;
    for (const c of [...inside, span.end]) {
      pieces.push({ span, start: from, end: c });
      from = c;
    }
  }
  return pieces
    .map(({ span, start, end }) => {
      const over = parts.filter((p) => p.at!.start <= start && end <= p.at!.end).map((p) => p.i);
      const piece: Span = { ...span, start, end, text: span.text.slice(start - span.start, end - span.start) };
      return spanHtml(piece, over.length === 0 ? "" : ` class="squiggle" data-diagnostic="${over.join(" ")}"`);
    })
    .join("");
}

/** The indent guides of each line (one a two-space level), blank lines taking their neighbours'. */
function indentLevels(lines: readonly (readonly Span[])[]): number[] {
  const text = lines.map((spans) => spans.map((s) => s.text).join(""));
  const own = text.map((t) => (t.trim() === "" ? undefined : Math.floor((t.length - t.trimStart().length) / 2)));
  return own.map((level, i) => {
    if (level !== undefined) return level;
    const before = own.slice(0, i).reverse().find((l) => l !== undefined) ?? 0;
    const after = own.slice(i + 1).find((l) => l !== undefined) ?? 0;
    return Math.min(before, after);
  });
}

function firstLine(message: string): string {
  return message.split("\n")[0]!;
}

function codeOf(d: Diagnostic): string {
  return `${d.source ?? "cmc"}(${d.code})`;
}

const FIELD_ICON = `<svg class="icon" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="${UI.fieldIcon}" stroke-width="1.1" stroke-linejoin="round"><path d="M8 2.5 13.5 5v6L8 13.5 2.5 11V5z"/><path d="M2.5 5 8 7.6 13.5 5M8 7.6v5.9"/></svg>`;
const errorIcon = (colour: string) =>
  `<svg class="icon" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="${colour}" stroke-width="1.2"><circle cx="8" cy="8" r="6"/><path d="m5.6 5.6 4.8 4.8m0-4.8-4.8 4.8"/></svg>`;

function styles(): string {
  return `
  * { box-sizing: border-box; }
  body { margin: 0; background: ${UI.editorBackground}; font: 13px "DejaVu Sans", sans-serif; color: ${UI.widgetForeground}; }
  .mono { font-family: "DejaVu Sans Mono", monospace; font-size: 14px; }
  .titlebar { height: 30px; background: ${UI.titleBar}; display: flex; align-items: center; justify-content: center; color: #CCCCCC; font-size: 12px; position: relative; }
  .titlebar .dots { position: absolute; left: 12px; display: flex; gap: 8px; }
  .titlebar .dots i { width: 12px; height: 12px; border-radius: 50%; background: #5A5A5A; display: block; }
  .tabs { height: 35px; background: ${UI.tabsBackground}; display: flex; }
  .tab { padding: 0 14px 0 12px; display: flex; align-items: center; gap: 6px; background: ${UI.inactiveTab}; color: #FFFFFF80; border-right: 1px solid ${UI.tabsBackground}; }
  .tab.active { background: ${UI.editorBackground}; color: #FFFFFF; }
  .tab .errors { color: ${UI.error}; font-size: 12px; }
  .tab .close { color: #FFFFFFB0; margin-left: 6px; font-size: 14px; }
  .cm-icon { color: #519ABA; font-weight: bold; font-size: 11px; font-family: "DejaVu Sans Mono", monospace; }
  .breadcrumbs { height: 22px; display: flex; align-items: center; padding-left: 16px; color: #A9A9A9; font-size: 12.5px; gap: 6px; }
  .breadcrumbs .sep { color: #7A7A7A; }
  .editor { display: flex; background: ${UI.editorBackground}; padding-top: 2px; }
  .gutter { width: 64px; flex: none; text-align: right; padding-right: 24px; color: ${UI.lineNumber}; }
  .gutter div, .line { height: ${LINE_HEIGHT}px; line-height: ${LINE_HEIGHT}px; white-space: pre; }
  .gutter .active { color: ${UI.activeLineNumber}; }
  .code { position: relative; flex: 1; }
  .line { position: relative; }
  .line.current { box-shadow: inset 0 0 0 2px ${UI.lineHighlightBorder}; margin-left: -4px; padding-left: 4px; }
  .guide { position: absolute; top: 0; bottom: 0; width: 1px; background: #404040; }
  .squiggle { text-decoration: underline wavy ${UI.error}; text-decoration-skip-ink: none; text-underline-offset: 3px; text-decoration-thickness: 1px; }
  .cursor { position: absolute; width: 2px; height: ${LINE_HEIGHT}px; background: ${UI.cursor}; }
  .widget { position: absolute; background: ${UI.widgetBackground}; border: 1px solid ${UI.widgetBorder}; border-radius: 3px; box-shadow: 0 0 8px 2px #0000005C; color: ${UI.widgetForeground}; font: 13px "DejaVu Sans", sans-serif; z-index: 2; }
  .hover { max-width: 520px; }
  .hover .body { padding: 4px 8px; line-height: 19px; }
  .hover p { margin: 4px 0; }
  .hover code { font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; background: #FFFFFF1A; padding: 0 3px; border-radius: 3px; }
  .hover-code { margin: 2px 0; font-family: "DejaVu Sans Mono", monospace; font-size: 13px; white-space: pre-wrap; }
  .problem .message { white-space: pre-wrap; }
  .problem .code { color: ${UI.descriptionForeground}; margin-left: 6px; }
  .hover .status { border-top: 1px solid ${UI.widgetBorder}; padding: 3px 8px; display: flex; gap: 16px; font-size: 12.5px; background: #2C2C2D; border-radius: 0 0 3px 3px; }
  .hover .status a { color: ${UI.link}; text-decoration: none; }
  .suggest { width: 420px; padding: 1px 0; font-family: "DejaVu Sans Mono", monospace; font-size: 14px; }
  .suggest .item { height: ${SUGGEST_ROW}px; display: flex; align-items: center; padding: 0 8px 0 4px; gap: 6px; border: 1px solid transparent; }
  .suggest .item.focused { background: ${UI.selectedBackground}; border-color: ${UI.selectedBorder}; color: #FFFFFF; }
  .suggest .label { flex: 1; }
  .suggest .detail { color: ${UI.descriptionForeground}; font-size: 13px; }
  .icon { flex: none; }
  .panel { border-top: 1px solid ${UI.panelBorder}; background: ${UI.editorBackground}; }
  .panel-tabs { height: 35px; display: flex; align-items: center; gap: 22px; padding-left: 20px; font-size: 11px; letter-spacing: 0.4px; color: ${UI.panelTitleInactive}; }
  .panel-tabs .active { color: ${UI.panelTitleActive}; border-bottom: 1px solid ${UI.panelTitleActive}; padding: 8px 0 6px; }
  .panel-tabs .count { background: #616161; color: #FFFFFF; border-radius: 9px; padding: 1px 6px; margin-left: 4px; font-size: 10.5px; }
  .problems { padding: 0 0 6px 20px; font-size: 13px; }
  .problems .file { height: 22px; display: flex; align-items: center; gap: 6px; color: #CCCCCC; }
  .problems .file .dir { color: ${UI.descriptionForeground}; font-size: 12px; }
  .problems .file .count { margin-left: 8px; background: #616161; color: #FFFFFF; border-radius: 9px; padding: 0 6px; font-size: 11px; }
  .problems .row { min-height: 22px; display: flex; align-items: flex-start; gap: 6px; padding: 3px 0 1px 22px; }
  .problems .row .text { white-space: pre-wrap; line-height: 17px; }
  .problems .row .more { color: ${UI.descriptionForeground}; }
  .problems .row .where, .problems .row .code { color: ${UI.descriptionForeground}; margin-left: 6px; }
  .statusbar { height: 22px; background: ${UI.statusBar}; color: #FFFFFF; display: flex; align-items: center; padding: 0 10px; gap: 16px; font-size: 12px; }
  .statusbar .right { margin-left: auto; display: flex; gap: 18px; }
  `;
}

function suggestHtml(scene: Scene): string {
  const { at, items } = scene.completion;
  const rows = items
    .map((item, i) => `<div class="item${i === 0 ? " focused" : ""}" data-label="${escapeHtml(item.label)}">${FIELD_ICON}<span class="label">${escapeHtml(item.label)}</span><span class="detail">${escapeHtml(item.detail ?? "")}</span></div>`)
    .join("");
  // The labels line up with the cursor's column, the icons to their left (as VS Code places it).
  return `<div class="widget suggest" style="top:${(at.line + 1) * LINE_HEIGHT + 1}px; left:calc(${at.character}ch - 27px)">${rows}</div>`;
}

function positionHoverHtml(scene: Scene): string {
  const { range, html } = scene.hover;
  return `<div class="widget hover" id="hover" style="top:${range.start.line * LINE_HEIGHT - 2}px; left:calc(${range.start.character}ch - 8px); transform: translateY(-100%)"><div class="body">${html}</div></div>`;
}

function problemHoverHtml(scene: Scene): string {
  const d = scene.diagnostics[scene.problemHover.diagnostic]!;
  const fixes = scene.problemHover.quickFixes;
  const actions = [`<a>View Problem (Alt+F8)</a>`, fixes.length > 0 ? fixes.map((f) => `<a class="quick-fix">Quick Fix: ${escapeHtml(f)} (Ctrl+.)</a>`).join("") : `<span>No quick fixes available</span>`];
  return `<div class="widget hover problem" id="problem-hover" style="top:${(d.range.end.line + 1) * LINE_HEIGHT + 2}px; left:calc(${d.range.start.character}ch - 8px)">
    <div class="body"><span class="message">${escapeHtml(d.message)}</span><span class="code">${escapeHtml(codeOf(d))}</span></div>
    <div class="status">${actions.join("")}</div></div>`;
}

function problemsHtml(scene: Scene): string {
  const name = scene.path.split("/").at(-1)!;
  const dir = scene.path.split("/").slice(0, -1).join("/");
  const rows = [...scene.diagnostics]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((d) => {
      const more = d.message.split("\n").slice(1);
      return `<div class="row" data-code="${escapeHtml(d.code)}">${errorIcon(UI.error)}<span class="text">${escapeHtml(firstLine(d.message))}<span class="code">${escapeHtml(codeOf(d))}</span><span class="where">[Ln ${d.range.start.line + 1}, Col ${d.range.start.character + 1}]</span>${more.map((m) => `\n<span class="more">${escapeHtml(m)}</span>`).join("")}</span></div>`;
    })
    .join("");
  return `<div class="panel">
    <div class="panel-tabs"><span class="active">PROBLEMS<span class="count">${scene.diagnostics.length}</span></span><span>OUTPUT</span><span>DEBUG CONSOLE</span><span>TERMINAL</span><span>PORTS</span></div>
    <div class="problems" id="problems"><div class="file">▾ <span class="cm-icon">cm</span><span>${escapeHtml(name)}</span><span class="dir">${escapeHtml(dir)}</span><span class="count">${scene.diagnostics.length}</span></div>${rows}</div>
  </div>`;
}

/** The whole page; `width` is the window's in CSS pixels. */
export function editorPage(scene: Scene, width: number): string {
  const cursor = scene.completion.at;
  const levels = indentLevels(scene.lines);
  const code = scene.lines
    .map((spans, i) => {
      const guides = Array.from({ length: levels[i]! }, (_, level) => `<i class="guide" style="left:${level * 2}ch"></i>`).join("");
      return `<div class="line${i === cursor.line ? " current" : ""}" data-line="${i}">${guides}${lineHtml(spans, i, scene.diagnostics)}</div>`;
    })
    .join("");
  const gutter = scene.lines.map((_, i) => `<div class="${i === cursor.line ? "active" : ""}">${i + 1}</div>`).join("");
  const blank = Array.from({ length: BLANK_ROWS_BELOW }, () => "<div></div>").join("");
  const name = scene.path.split("/").at(-1)!;
  const crumbs = scene.path.split("/").map((p) => `<span>${escapeHtml(p)}</span>`).join(`<span class="sep">›</span>`);
  const errors = scene.diagnostics.filter((d) => d.severity === 1).length;
  return `<!doctype html><html><head><meta charset="utf-8"><style>${styles()}</style></head>
<body style="width:${width}px">
  <div class="titlebar"><div class="dots"><i></i><i></i><i></i></div>${escapeHtml(name)} — cmc</div>
  <div class="tabs"><div class="tab active"><span class="cm-icon">cm</span>${escapeHtml(name)}<span class="errors">${errors}</span><span class="close">×</span></div></div>
  <div class="breadcrumbs">${crumbs}</div>
  <div class="editor mono">
    <div class="gutter">${gutter}${blank}</div>
    <div class="code" id="code">${code}
      <div class="cursor" style="top:${cursor.line * LINE_HEIGHT}px; left:calc(${cursor.character}ch - 1px)"></div>
      ${positionHoverHtml(scene)}${problemHoverHtml(scene)}${suggestHtml(scene)}
    </div>
  </div>
  ${problemsHtml(scene)}
  <div class="statusbar"><span>${errorIcon("#FFFFFF")} ${errors}</span><span>⚠ ${scene.diagnostics.filter((d) => d.severity === 2).length}</span>
    <div class="right"><span>Ln ${cursor.line + 1}, Col ${cursor.character + 1}</span><span>Spaces: 2</span><span>UTF-8</span><span>LF</span><span>cm</span></div></div>
</body></html>`;
}

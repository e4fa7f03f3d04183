/**
 * The language server's view of the files: open documents from memory, every other module from
 * disk, and the analyses of the programs rooted at them, each kept until a module it read
 * changes. A module is parsed again only when its text changed, and then only around the edit
 * (`compiler/parser/incremental.ts`); diagnostics after an edit check again only the workflows it
 * touched (`compiler/check/memo.ts`), and the whole analysis waits for a query that needs it.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ParseFn } from "../compiler/check/index.js";
import type { CompilerHost } from "../compiler/host.js";
import type { Module } from "../compiler/ast/ast.js";
import { CheckMemo } from "../compiler/check/index.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { editBetween } from "../compiler/edit.js";
import { diagnose } from "../compiler/index.js";
import { reparse, type Parsed } from "../compiler/parser/incremental.js";
import { parse } from "../compiler/parser/index.js";
import { analyze, type Analysis } from "../compiler/service/analysis.js";
import type { Focus } from "../compiler/service/semantic-index.js";
import type { ImportCandidate } from "../compiler/service/fixes.js";
import { nodeHost, stdlibDir, type NodeHost } from "../cli/node-host.js";
import { projectHost, projectSettings } from "../cli/project.js";
import { Text } from "./convert.js";

/** The name put at the cursor to complete a text that does not parse as it is. */
export const COMPLETION_PLACEHOLDER = "__cmc_completion__";

/** Folders never searched for `.cm` files. */
const SKIPPED_FOLDERS = new Set(["node_modules", ".git", ".cmc"]);

interface OpenDocument {
  readonly text: Text;
  readonly version: number;
  /** Where the last change began (the start of the text when it was opened). */
  readonly edited: number;
}

interface CachedAnalysis {
  readonly analysis: Analysis;
  /** The text each module had when it was read (open documents' text, or what was on disk). */
  readonly read: ReadonlyMap<string, string>;
}

export class Workspace {
  readonly root: string;
  private readonly disk: NodeHost;
  private readonly open = new Map<string, OpenDocument>();
  private readonly analyses = new Map<string, CachedAnalysis>();
  /** The last analysis of each entry whose own module parsed, for queries while it has syntax errors. */
  private readonly lastParsed = new Map<string, Analysis>();
  private readonly parsed = new Map<string, Parsed>();
  /** Diagnostics checked without a whole analysis, with the texts they were checked from. */
  private readonly diagnosed = new Map<string, { readonly diagnostics: readonly Diagnostic[]; readonly read: ReadonlyMap<string, string> }>();
  private readonly memos = new Map<string, CheckMemo>();
  /** Said once: why the project's `cmc.json` could not be used. */
  readonly configProblem: string | undefined;

  constructor(root: string) {
    this.root = path.resolve(root);
    let host: NodeHost;
    let problem: string | undefined;
    try {
      host = projectHost(this.root, projectSettings(this.root));
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
      host = nodeHost(this.root);
    }
    this.disk = host;
    this.configProblem = problem;
  }

  /** The module key of a `file:` URI, or undefined for another scheme or a file that is not `.cm`. */
  keyOf(uri: string): string | undefined {
    if (!uri.startsWith("file:")) return undefined;
    const file = fileURLToPath(uri);
    return file.endsWith(".cm") ? this.disk.keyOf(file) : undefined;
  }

  uriOf(key: string): string {
    return pathToFileURL(this.disk.pathOf(key)).href;
  }

  setOpen(key: string, text: string, version: number): void {
    const before = this.open.get(key)?.text.text;
    this.open.set(key, { text: new Text(text), version, edited: before === undefined ? 0 : editBetween(before, text).from });
  }

  close(key: string): void {
    this.open.delete(key);
  }

  /** The version of open document `key` (undefined when it is not open). */
  versionOf(key: string): number | undefined {
    return this.open.get(key)?.version;
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  openKeys(): string[] {
    return [...this.open.keys()];
  }

  /** The text of module `key` as the compiler sees it now (open document first, then disk). */
  text(key: string): Text | undefined {
    const doc = this.open.get(key);
    if (doc) return doc.text;
    const text = this.safeRead(key);
    return text === undefined ? undefined : new Text(text);
  }

  private safeRead(key: string): string | undefined {
    try {
      return this.disk.read(key);
    } catch {
      return undefined;
    }
  }

  /** A compiler host that reads open documents from memory (and `overlay` over them), the rest from disk. */
  private host(read: Map<string, string>, overlay?: ReadonlyMap<string, string>): CompilerHost {
    const disk = this.disk;
    return {
      ...(disk.roles ? { roles: disk.roles } : {}),
      resolve: (from, specifier) => disk.resolve(from, specifier),
      read: (key) => {
        const text = overlay?.get(key) ?? this.open.get(key)?.text.text ?? this.safeRead(key);
        if (text !== undefined) read.set(key, text);
        return text;
      },
    };
  }

  /** Parses a module's text, reusing its last parse's declarations that an edit did not touch. */
  private readonly parseCached: ParseFn = (text, file) => {
    const cached = this.parsed.get(file);
    if (cached && cached.text === text) return cached.result;
    const result = reparse(cached, text, file);
    this.parsed.set(file, { text, result });
    return result;
  };

  /** The parsed module `key` as its text is now (undefined when it cannot be read). */
  module(key: string): Module | undefined {
    const text = this.text(key)?.text;
    return text === undefined ? undefined : this.parseCached(text, key).module;
  }

  /**
   * The diagnostics of the program rooted at `key` in its own module (as its analysis has them),
   * checking again only the workflows an edit touched (`compiler/check/memo.ts`).
   */
  diagnostics(key: string): readonly Diagnostic[] {
    const analysis = this.freshAnalysis(key);
    if (analysis) return analysis.result.diagnostics.filter((d) => d.file === key);
    const cached = this.diagnosed.get(key);
    if (cached && this.isFresh(cached)) return cached.diagnostics;
    const read = new Map<string, string>();
    let memo = this.memos.get(key);
    if (!memo) this.memos.set(key, (memo = new CheckMemo()));
    const diagnostics = diagnose(key, this.host(read), memo, { parse: this.parseCached }).diagnostics.filter((d) => d.file === key);
    this.diagnosed.set(key, { diagnostics, read });
    return diagnostics;
  }

  private isFresh(cached: { readonly read: ReadonlyMap<string, string> }): boolean {
    for (const [key, text] of cached.read) {
      const doc = this.open.get(key);
      if (doc ? doc.text.text !== text : this.safeRead(key) !== text) return false;
    }
    return true;
  }

  /** The analysis of the program rooted at `key`, re-checked only when a module it read changed. */
  analysis(key: string): Analysis {
    const cached = this.analyses.get(key);
    if (cached && this.isFresh(cached)) return cached.analysis;
    const read = new Map<string, string>();
    const doc = this.open.get(key);
    const focus = doc ? this.declAround(key, doc.text.text, doc.edited) : undefined;
    const analysis = analyze(key, this.host(read), { parse: this.parseCached, entryOnly: true, ...(focus ? { focus } : {}) });
    this.analyses.set(key, { analysis, read });
    if (analysis.program?.modules.get(key)?.parsed) this.lastParsed.set(key, analysis);
    return analysis;
  }

  /** A compiler host over the open documents and the disk, as the analyses use. */
  compilerHost(): CompilerHost {
    return this.host(new Map());
  }

  /** The analysis of the program rooted at `key` if one is kept and still up to date. */
  freshAnalysis(key: string): Analysis | undefined {
    const cached = this.analyses.get(key);
    return cached && this.isFresh(cached) ? cached.analysis : undefined;
  }

  /** The program rooted at `key` checked with `overlay` texts in place of the files they name (not cached). */
  analysisWith(key: string, overlay: ReadonlyMap<string, string>, focusAt?: number): Analysis {
    const text = overlay.get(key) ?? this.text(key)?.text;
    // A text that is no document's is parsed on its own: reparsing from the kept parse would move its offsets.
    const parseText: ParseFn = (t, file) => (overlay.has(file) ? parse(t, file) : this.parseCached(t, file));
    const focus = focusAt !== undefined && text !== undefined ? this.declAround(key, text, focusAt, parseText) : undefined;
    return analyze(key, this.host(new Map(), overlay), { parse: parseText, entryOnly: true, ...(focus ? { focus } : {}) });
  }

  /** The top-level declaration of `text` around `offset` (the names visible in it are kept for completion). */
  private declAround(key: string, text: string, offset: number, parseText: ParseFn = this.parseCached): Focus {
    const decl = parseText(text, key).module.decls.find((d) => d.span.start <= offset && offset <= d.span.end);
    return { file: key, span: decl?.span ?? { start: offset, end: offset } };
  }

  /**
   * The analysis to answer a query at `offset` of `key` with: the current one where the declaration
   * at `offset` was checked, or else the last one that parsed, if the text before `offset` is
   * unchanged since.
   */
  analysisAt(key: string, offset: number): Analysis {
    const current = this.analysis(key);
    const info = current.program?.modules.get(key);
    if (info?.parsed) return current;
    const decl = info?.ast?.decls.find((d) => d.span.start <= offset && offset <= d.span.end);
    if (info && decl && !info.damaged.has(decl)) return current;
    const last = this.lastParsed.get(key);
    const now = this.text(key)?.text;
    if (!last || now === undefined) return current;
    const then = last.result.sources.get(key) ?? "";
    return now.slice(0, offset) === then.slice(0, offset) ? last : current;
  }

  /**
   * The analysis to complete at `offset` of `key` with. While the text does not parse (a line half
   * typed: `build.`, `sh("x", `), a placeholder name at the cursor often makes it parse, and then
   * the checker sees the scopes and types around the cursor as they are now.
   */
  analysisForCompletion(key: string, offset: number): Analysis {
    const current = this.analysis(key);
    const text = this.text(key)?.text;
    if (text === undefined) return current;
    if (current.program?.modules.get(key)?.parsed) {
      const focus = current.index.focus;
      if (focus && focus.span.start <= offset && offset <= focus.span.end) return current;
      return this.analysisWith(key, new Map(), offset);
    }
    const patched = this.analysisWith(key, new Map([[key, `${text.slice(0, offset)}${COMPLETION_PLACEHOLDER}${text.slice(offset)}`]]), offset);
    if (patched.program?.modules.get(key)?.parsed) return patched;
    return this.analysisAt(key, offset);
  }

  /** The open documents whose programs read module `key` (itself included when open). */
  openReaders(key: string): string[] {
    return this.openKeys().filter((entry) => entry === key || this.analyses.get(entry)?.read.has(key) || this.diagnosed.get(entry)?.read.has(key));
  }

  /** The modules file `key` could import a name from: the standard library's and the workspace's other files. */
  importCandidates(key: string): ImportCandidate[] {
    const out: ImportCandidate[] = [];
    for (const { specifier, module } of this.importSpecifiers(key)) {
      const text = this.text(module)?.text;
      if (text !== undefined) out.push({ specifier, module: this.parseCached(text, module).module });
    }
    return out;
  }

  /** What file `key` can write after `from`: `std/…` modules, then the workspace's other files relative to it. */
  importSpecifiers(key: string): { specifier: string; module: string }[] {
    const out: { specifier: string; module: string }[] = [];
    let std: string[] = [];
    try {
      std = readdirSync(stdlibDir()).filter((f) => f.endsWith(".cm"));
    } catch {
      std = [];
    }
    for (const f of std.sort()) out.push({ specifier: `std/${f.slice(0, -".cm".length)}`, module: `std/${f.slice(0, -".cm".length)}` });
    const from = path.dirname(this.disk.pathOf(key));
    for (const other of this.workspaceKeys()) {
      if (other === key || other.startsWith("std/")) continue;
      const rel = path.relative(from, this.disk.pathOf(other)).split(path.sep).join("/");
      out.push({ specifier: rel.startsWith("../") ? rel : `./${rel}`, module: other });
    }
    return out;
  }

  /** Every `.cm` file under the root, as module keys (for workspace-wide references and rename). */
  workspaceKeys(): string[] {
    const found: string[] = [];
    const walk = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_FOLDERS.has(entry.name)) walk(full);
        } else if (entry.isFile() && entry.name.endsWith(".cm")) found.push(this.disk.keyOf(full));
      }
    };
    walk(this.root);
    for (const key of this.open.keys()) if (!found.includes(key)) found.push(key);
    return found;
  }
}

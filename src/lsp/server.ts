/**
 * `cmc lsp`: the language server. It keeps the open documents, checks with the compiler itself
 * (no second checker) and answers each request from the compiler's service queries
 * (`src/compiler/service/`), converting spans to LSP ranges. A request that fails is answered
 * with an error; the server keeps running.
 */
import languageServer from "vscode-languageserver/node.js";
import type {
  CodeAction,
  CompletionItem,
  Connection,
  DocumentSymbol,
  Hover,
  InitializeParams,
  InitializeResult,
  Location,
  Position,
  SignatureHelp,
  TextEdit,
  WorkspaceEdit,
} from "vscode-languageserver/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { fileURLToPath } from "node:url";
import type { Loc } from "../compiler/check/errors.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { fixOf, importFixes, type ImportCandidate } from "../compiler/service/fixes.js";
import { formatSource } from "../compiler/format/index.js";
import { hoverAt } from "../compiler/service/hover.js";
import { outline, type OutlineItem } from "../compiler/service/outline.js";
import { signatureAt } from "../compiler/service/calls-at.js";
import { completionsAt } from "../compiler/service/completion.js";
import { importAt, referencesTo, symbolAt } from "../compiler/service/symbol-at.js";
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from "../compiler/service/semantic-tokens.js";
import { toLspDiagnostic, type DiagnosticData } from "./convert.js";
import { graphOf } from "./graph.js";
import { COMPLETION_KIND, SYMBOL_KIND } from "./kinds.js";
import { RequestError } from "./errors.js";
import { renameEdits } from "./rename.js";
import { COMPLETION_PLACEHOLDER, Workspace } from "./workspace.js";

const { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, ResponseError, ErrorCodes, CompletionItemKind } = languageServer;

/** Starts the server on `connection` (stdio when not given); resolves when the client has exited. */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout)): Promise<void> {
  const documents = new TextDocuments(TextDocument);
  let workspace: Workspace | undefined;
  const pending = new Set<string>();
  let scheduled: NodeJS.Immediate | undefined;

  const ws = (): Workspace => (workspace ??= new Workspace(process.cwd()));

  /** Runs a request handler; a thrown error becomes an error response, never a crash. */
  const guarded =
    <P, R>(name: string, handler: (params: P) => R) =>
    (params: P): R | InstanceType<typeof ResponseError<void>> => {
      try {
        return handler(params);
      } catch (error) {
        if (error instanceof RequestError) return new ResponseError<void>(error.code, error.message);
        connection.console.error(`cmc lsp: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return new ResponseError<void>(ErrorCodes.InternalError, `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };

  /** The module key of a document, or a request error for a file that is not a `.cm` file. */
  const keyOf = (uri: string): string => {
    const key = ws().keyOf(uri);
    if (key === undefined) throw new RequestError(`not a .cm file: ${uri}`, ErrorCodes.InvalidParams);
    return key;
  };

  const offsetOf = (key: string, position: Position): number => ws().text(key)?.offset(position) ?? 0;

  const location = (loc: Loc): Location => {
    const text = ws().text(loc.file);
    const range = text ? text.range(loc.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { uri: ws().uriOf(loc.file), range };
  };

  /** What was last published for each file, so an unchanged list is not sent twice. */
  const lastPublished = new Map<string, string>();

  /**
   * Publishes the diagnostics of open file `key`: those in it of every open program that reads it
   * (its own and its importers'), each once, as `cmc check` on the open files reports them. With
   * `fresh` only, an importer's program that is out of date is left out rather than re-checked.
   */
  const publish = (key: string, only: "fresh" | "all"): void => {
    const w = ws();
    const text = w.text(key);
    if (!text || !w.isOpen(key)) return;
    const seen = new Set<string>();
    const found: Diagnostic[] = [];
    for (const entry of [key, ...w.openReaders(key).filter((k) => k !== key)]) {
      const reader = entry === key ? undefined : only === "all" ? w.analysis(entry) : w.freshAnalysis(entry);
      for (const d of (entry === key ? w.diagnostics(entry) : reader?.result.diagnostics) ?? []) {
        const id = `${d.span.start}\0${d.span.end}\0${d.code}\0${d.message}`;
        if (d.file !== key || seen.has(id)) continue;
        seen.add(id);
        found.push(d);
      }
    }
    found.sort((a, b) => a.span.start - b.span.start);
    const diagnostics = found.map((d) => toLspDiagnostic(d, text));
    const signature = `${w.versionOf(key)}\0${JSON.stringify(diagnostics)}`;
    if (lastPublished.get(key) === signature) return;
    lastPublished.set(key, signature);
    void connection.sendDiagnostics({ uri: w.uriOf(key), diagnostics });
  };

  const flush = (): void => {
    scheduled = undefined;
    const keys = [...pending].filter((k) => ws().isOpen(k));
    const changedKeys = [...pending];
    pending.clear();
    const attempt = (key: string, only: "fresh" | "all") => {
      try {
        publish(key, only);
      } catch (error) {
        connection.console.error(`cmc lsp: checking ${key} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    };
    // The changed files first, from their own programs (what the user is looking at); then, once
    // those are sent (a notification is written only when this turn ends), the files that import
    // them, and the changed files again if their importers add something.
    for (const key of keys) attempt(key, "fresh");
    setImmediate(() => {
      const readers = new Set<string>();
      for (const key of changedKeys) for (const reader of ws().openReaders(key)) if (!keys.includes(reader)) readers.add(reader);
      for (const key of readers) attempt(key, "all");
      for (const key of keys) attempt(key, "all");
    });
  };

  /**
   * Checks after the changes that have arrived: the check waits for the event loop's next turn,
   * so the edits that came in while a check ran (fast typing) are checked once, together.
   */
  const changed = (key: string, immediately: boolean): void => {
    pending.add(key);
    if (immediately) {
      if (scheduled) clearImmediate(scheduled);
      flush();
    } else scheduled ??= setImmediate(flush);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspace = new Workspace(folder?.startsWith("file:") ? fileURLToPath(folder) : process.cwd());
    if (workspace.configProblem) connection.console.warn(`cmc lsp: ${workspace.configProblem}; roles are not checked`);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: [".", "("] },
        signatureHelpProvider: { triggerCharacters: ["(", ","] },
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        codeActionProvider: { codeActionKinds: ["quickfix"] },
        documentFormattingProvider: true,
      },
      serverInfo: { name: "cmc" },
    };
  });

  documents.onDidOpen(({ document }) => {
    const key = ws().keyOf(document.uri);
    if (key === undefined) return;
    ws().setOpen(key, document.getText(), document.version);
    changed(key, true);
  });
  documents.onDidChangeContent(({ document }) => {
    const key = ws().keyOf(document.uri);
    // Opening a document reports a change too: that one is already checked.
    if (key === undefined || !ws().isOpen(key) || ws().versionOf(key) === document.version) return;
    ws().setOpen(key, document.getText(), document.version);
    changed(key, false);
  });
  documents.onDidClose(({ document }) => {
    const key = ws().keyOf(document.uri);
    if (key === undefined) return;
    ws().close(key);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    for (const reader of ws().openReaders(key)) changed(reader, false);
  });

  connection.onHover(
    guarded("hover", ({ textDocument, position }): Hover | null => {
      const key = keyOf(textDocument.uri);
      const offset = offsetOf(key, position);
      const info = hoverAt(ws().analysisAt(key, offset), key, offset);
      if (!info) return null;
      const value = "```cm\n" + info.code + "\n```" + (info.doc ? `\n\n${info.doc}` : "");
      return { contents: { kind: "markdown", value }, range: ws().text(key)!.range(info.span) };
    }),
  );

  connection.onDefinition(
    guarded("definition", ({ textDocument, position }): Location | null => {
      const key = keyOf(textDocument.uri);
      const offset = offsetOf(key, position);
      const analysis = ws().analysisAt(key, offset);
      const target = symbolAt(analysis, key, offset)?.def ?? importAt(analysis, key, offset);
      return target ? location(target) : null;
    }),
  );

  const workspaceAnalyses = () => ws().workspaceKeys().map((k) => ws().analysis(k));

  connection.onReferences(
    guarded("references", ({ textDocument, position, context }): Location[] | null => {
      const key = keyOf(textDocument.uri);
      const offset = offsetOf(key, position);
      const sym = symbolAt(ws().analysisAt(key, offset), key, offset);
      if (!sym) return null;
      const refs = referencesTo([ws().analysis(key), ...workspaceAnalyses()], sym.def);
      return (context.includeDeclaration ? refs : refs.slice(1)).map(location);
    }),
  );

  connection.onPrepareRename(
    guarded("prepareRename", ({ textDocument, position }) => {
      const key = keyOf(textDocument.uri);
      const offset = offsetOf(key, position);
      const sym = symbolAt(ws().analysis(key), key, offset);
      if (!sym) throw new RequestError("nothing to rename here: put the cursor on a name");
      if (sym.def.file.startsWith("std/")) throw new RequestError(`\`${sym.def.file}\` is the standard library: its names cannot be renamed`);
      return ws().text(key)!.range(sym.span);
    }),
  );

  connection.onRenameRequest(
    guarded("rename", ({ textDocument, position, newName }): WorkspaceEdit => {
      const key = keyOf(textDocument.uri);
      const w = ws();
      const offset = offsetOf(key, position);
      const changes: Record<string, TextEdit[]> = {};
      for (const loc of renameEdits(w, key, offset, newName)) {
        const uri = w.uriOf(loc.file);
        (changes[uri] ??= []).push({ range: w.text(loc.file)!.range(loc.span), newText: newName });
      }
      return { changes };
    }),
  );

  // `cmc fmt`'s layout; a file that does not parse is left as it is (its diagnostics say why).
  connection.onDocumentFormatting(
    guarded("formatting", ({ textDocument }): TextEdit[] | null => {
      const key = keyOf(textDocument.uri);
      const text = ws().text(key);
      if (!text) return null;
      const formatted = formatSource(text.text, key);
      if (!formatted.ok || formatted.text === text.text) return [];
      return [{ range: text.range({ start: 0, end: text.text.length }), newText: formatted.text }];
    }),
  );

  connection.onDocumentSymbol(
    guarded("documentSymbol", ({ textDocument }): DocumentSymbol[] | null => {
      const key = keyOf(textDocument.uri);
      const module = ws().module(key);
      const text = ws().text(key);
      if (!module || !text) return null;
      const convert = (item: OutlineItem): DocumentSymbol => ({
        name: item.name,
        kind: SYMBOL_KIND[item.kind],
        range: text.range(item.span),
        selectionRange: text.range(item.nameSpan),
        children: item.children.map(convert),
      });
      return outline(module).map(convert);
    }),
  );

  connection.onCompletion(
    guarded("completion", ({ textDocument, position }): CompletionItem[] | null => {
      const key = keyOf(textDocument.uri);
      const text = ws().text(key);
      if (!text) return null;
      const offset = text.offset(position);
      // Inside the quotes after `from`: the modules the file can import, as it would write them.
      const path = /^\s*(?:export\s+)?import\b[^"\n]*\bfrom\s+"([^"\n]*)$/.exec(text.text.slice(text.text.lastIndexOf("\n", offset - 1) + 1, offset));
      if (path) {
        return ws()
          .importSpecifiers(key)
          .filter(({ specifier }) => specifier.startsWith(path[1] ?? ""))
          .map(({ specifier }) => ({ label: specifier, kind: CompletionItemKind.File }));
      }
      const candidates = completionsAt(ws().analysisForCompletion(key, offset), key, offset, text.text.slice(0, offset));
      return candidates.filter((c) => c.label !== COMPLETION_PLACEHOLDER).map((c) => ({
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        ...(c.detail ? { detail: c.detail } : {}),
        ...(c.insert ? { insertText: c.insert } : {}),
      }));
    }),
  );

  connection.onSignatureHelp(
    guarded("signatureHelp", ({ textDocument, position }): SignatureHelp | null => {
      const key = keyOf(textDocument.uri);
      const offset = offsetOf(key, position);
      const sig = signatureAt(ws().analysisAt(key, offset), key, offset);
      if (!sig) return null;
      const params = sig.params.map((p) => `${p.name}: ${p.type}`);
      const label = `${sig.name}(${params.join(", ")})`;
      return {
        signatures: [
          {
            label,
            ...(sig.doc ? { documentation: { kind: "markdown", value: sig.doc } } : {}),
            parameters: params.map((p) => ({ label: p })),
          },
        ],
        activeSignature: 0,
        ...(sig.active !== undefined ? { activeParameter: sig.active } : {}),
      };
    }),
  );

  connection.languages.semanticTokens.on(
    guarded("semanticTokens", ({ textDocument }) => {
      const key = keyOf(textDocument.uri);
      const text = ws().text(key);
      if (!text) return { data: [] };
      const data: number[] = [];
      let line = 0;
      let char = 0;
      for (const token of semanticTokens(ws().analysis(key), key)) {
        const start = text.position(token.span.start);
        const end = text.position(token.span.end);
        if (end.line !== start.line) continue;
        data.push(start.line - line, start.line === line ? start.character - char : start.character, end.character - start.character, token.type, token.modifiers);
        line = start.line;
        char = start.character;
      }
      return { data };
    }),
  );

  connection.onCodeAction(
    guarded("codeAction", ({ textDocument, context }): CodeAction[] => {
      const key = keyOf(textDocument.uri);
      const text = ws().text(key);
      if (!text) return [];
      const actions: CodeAction[] = [];
      const module = ws().module(key);
      let candidates: ImportCandidate[] | undefined;
      for (const diagnostic of context.diagnostics) {
        const data = diagnostic.data as DiagnosticData | undefined;
        if (!data?.span) continue;
        const fixes = [fixOf(data)].filter((f) => f !== undefined);
        if (diagnostic.code === "E0207" && module) {
          candidates ??= ws().importCandidates(key);
          fixes.push(...importFixes({ code: diagnostic.code, message: diagnostic.message.split("\n")[0]! }, module, candidates));
        }
        for (const fix of fixes) {
          actions.push({
            title: fix.title,
            kind: "quickfix",
            diagnostics: [diagnostic],
            isPreferred: fixes.length === 1,
            edit: { changes: { [textDocument.uri]: [{ range: text.range(fix.span), newText: fix.text }] } },
          });
        }
      }
      return actions;
    }),
  );

  connection.onRequest(
    "cmc/graph",
    guarded("cmc/graph", (params: { textDocument: { uri: string }; workflow?: string }) => {
      const key = keyOf(params.textDocument.uri);
      return { mermaid: graphOf(ws(), key, params.workflow) };
    }),
  );

  documents.listen(connection);
  return new Promise((resolve) => {
    connection.onShutdown(() => {
      if (scheduled) clearImmediate(scheduled);
    });
    connection.onExit(() => resolve());
    connection.listen();
  });
}

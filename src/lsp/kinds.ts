/** The compiler's kinds of names as LSP's symbol and completion kinds. */
import languageServer from "vscode-languageserver/node.js";
import type { CompletionItemKind as CompletionKindValue, SymbolKind as SymbolKindValue } from "vscode-languageserver/node.js";
import type { SymbolKind } from "../compiler/check/recorder.js";
import type { CompletionKind } from "../compiler/service/completion.js";

const { CompletionItemKind, SymbolKind: Symbols } = languageServer;

export const SYMBOL_KIND: Readonly<Record<SymbolKind, SymbolKindValue>> = {
  workflow: Symbols.Function,
  ctor: Symbols.Constructor,
  type: Symbols.Struct,
  param: Symbols.Variable,
  step: Symbols.Event,
  let: Symbols.Constant,
  agent: Symbols.Object,
  loop: Symbols.Variable,
  catch: Symbols.Variable,
  field: Symbols.Field,
  import: Symbols.Module,
};

export const COMPLETION_KIND: Readonly<Record<CompletionKind, CompletionKindValue>> = {
  workflow: CompletionItemKind.Function,
  ctor: CompletionItemKind.Constructor,
  type: CompletionItemKind.Struct,
  param: CompletionItemKind.Variable,
  step: CompletionItemKind.Event,
  let: CompletionItemKind.Constant,
  agent: CompletionItemKind.Variable,
  loop: CompletionItemKind.Variable,
  catch: CompletionItemKind.Variable,
  field: CompletionItemKind.Field,
  import: CompletionItemKind.Module,
  keyword: CompletionItemKind.Keyword,
  function: CompletionItemKind.Function,
  argument: CompletionItemKind.Property,
  method: CompletionItemKind.Method,
};

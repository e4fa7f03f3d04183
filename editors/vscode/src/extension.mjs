/** The VS Code side of cmc: starts `cmc lsp` over stdio for `.cm` files and restarts it when `cmc.path` changes. */
import * as vscode from "vscode";
import { LanguageClient, TransportKind } from "vscode-languageclient/node";
import { serverCommand } from "./server-command.mjs";

/** @type {LanguageClient | undefined} */
let client;

function start() {
  const { command, args } = serverCommand(vscode.workspace.getConfiguration("cmc").get("path"));
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  client = new LanguageClient(
    "cmc",
    "cmc language server",
    { command, args, transport: TransportKind.stdio, options: cwd ? { cwd } : {} },
    {
      documentSelector: [{ scheme: "file", language: "cm" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.cm,cmc.json}") },
    },
  );
  return client.start();
}

/** @param {vscode.ExtensionContext} context */
export async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("cmc.path")) return;
      await client?.stop();
      await start();
    }),
  );
  await start();
}

export function deactivate() {
  return client?.stop();
}

/** `cmc lsp`: runs the language server on stdin and stdout until the editor exits it. */
import { EXIT } from "../exit.js";

/** Runs `cmc lsp`; resolves to the exit code once the client has sent `exit`. */
export async function lsp(): Promise<number> {
  const { startServer } = await import("../../lsp/server.js");
  await startServer();
  return EXIT.ok;
}

/** A request's failure, answered as an LSP error response (the server keeps running). */
import languageServer from "vscode-languageserver/node.js";

export class RequestError extends Error {
  constructor(
    message: string,
    /** An LSP error code; by default `RequestFailed` (-32803), "the request was valid but failed". */
    readonly code: number = languageServer.LSPErrorCodes.RequestFailed,
  ) {
    super(message);
  }
}

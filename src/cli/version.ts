/** cmc's version, as package.json gives it. */
import { readFileSync } from "node:fs";

/** The `version` of cmc's package.json (two folders up from `src/cli/`, `dist/cli/` and `dist/bundle/`). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

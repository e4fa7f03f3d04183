/**
 * The folder of the workflow templates cmc ships (`templates/<name>/`). Located from this module,
 * which is two levels below the package root in `src/cli/`, `dist/cli/` and `dist/bundle/` alike.
 */
import { fileURLToPath } from "node:url";

export function templatesDir(): string {
  return fileURLToPath(new URL("../../templates", import.meta.url));
}

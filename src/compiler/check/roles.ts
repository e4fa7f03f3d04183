/**
 * Roles (`role("architect", default: claude(model: "opus"))`): a role's name must be a literal the
 * project config can map, and, when the host says which roles the project maps (`cmc.json` and
 * `--agent` flags), a role without a `default:` that nothing maps is an error: no agent would play it.
 */
import type { CallExpr, Expr } from "../ast/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Loc } from "./errors.js";
import type { CheckState } from "./model.js";

/** What a role's name may be: also the keys of `cmc.json`'s `roles`. */
export const ROLE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Records (or rejects) one `role(…)` call; `args` are its bound arguments. */
export function checkRoleCall(state: CheckState, module: string, call: CallExpr, args: ReadonlyMap<string, Expr>): void {
  const name = args.get("name");
  if (!name) return;
  const loc = { file: module, span: name.span };
  const text = literalText(name);
  if (text === undefined || !ROLE_NAME.test(text)) {
    state.report(roleNameError(loc, text));
    return;
  }
  state.roleUses.push({ name: text, loc: { file: module, span: call.span }, hasDefault: args.has("default") });
}

/** After every module is checked: each role without a `default:` must be one the project maps. */
export function checkRoleMappings(state: CheckState, mapped: ReadonlySet<string> | undefined): void {
  if (mapped === undefined) return;
  for (const use of state.roleUses) {
    if (!use.hasDefault && !mapped.has(use.name)) state.report(unmappedRole(use.loc, use.name, [...mapped]));
  }
}

function literalText(e: Expr): string | undefined {
  if (e.kind !== "StringLit") return undefined;
  let text = "";
  for (const part of e.parts) {
    if (part.kind !== "TextPart") return undefined;
    text += part.value;
  }
  return text;
}

function roleNameError(loc: Loc, text: string | undefined): Diagnostic {
  return {
    code: "E0241",
    severity: "error",
    message: text === undefined ? "a role's name must be a string literal" : `\`${text}\` is not a role name`,
    file: loc.file,
    span: loc.span,
    label: text === undefined ? "the project config maps roles by name, so the name must be written out" : "not a role name",
    help: 'write a name that starts with a letter and has letters, digits, `_` or `-`: role("architect")',
  };
}

function unmappedRole(loc: Loc, name: string, mapped: readonly string[]): Diagnostic {
  return {
    code: "E0240",
    severity: "error",
    message: `role \`${name}\` has no agent`,
    file: loc.file,
    span: loc.span,
    label: mapped.length > 0 ? `cmc.json maps ${mapped.map((r) => `\`${r}\``).join(", ")}, not \`${name}\`` : "no cmc.json maps it and it has no default",
    help: `map it in cmc.json ("roles": { "${name}": "claude" }), with \`cmc run --agent ${name}=claude\`, or give it a default: role("${name}", default: claude())`,
  };
}

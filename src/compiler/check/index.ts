/**
 * The checker's entry point: load the modules, check every declaration a syntax error did not
 * damage, then the whole-program rules (recursion, unused top-level values: only in modules that
 * parsed, as a damaged declaration's uses are unknown).
 */
import type { CompilerHost } from "../host.js";
import { AGENT_CONSTRUCTORS, isAgentConstructor } from "../agent-names.js";
import { CALL_CHECKER, ctorParams } from "./calls.js";
import { topLevelCtx } from "./context.js";
import { E } from "./errors.js";
import { checkAgainst, globalType } from "./expressions.js";
import { CheckState, isChecked, type ValueSym } from "./model.js";
import { loadModules, type ParseFn } from "./modules.js";
import type { CheckMemo } from "./memo.js";
import { checkNesting } from "./nesting.js";
import { checkRecursion } from "./recursion.js";
import { checkRoleMappings } from "./roles.js";
import { checkWorkflow } from "./statements.js";
import { aliasType } from "./type-resolution.js";

export type { CheckedProgram } from "./model.js";
export type { ParseFn } from "./modules.js";
export { CheckState } from "./model.js";
export { CheckMemo } from "./memo.js";

/**
 * Parses `entry` and its imports and checks them all into `state` (a fresh `new CheckState(entry)`);
 * diagnostics are left unsorted. With `onlyModule`, only that module's declarations are checked
 * (the others are loaded and linked, and what it uses of them resolved): its own diagnostics are
 * all there, those of the other modules are not. With `memo` too, the workflows of that module an
 * edit did not touch are not checked again (`memo.ts`): then only its diagnostics are complete.
 * Should it throw, what `state` holds so far is still meaningful.
 */
export function checkProgram(state: CheckState, entry: string, host: CompilerHost, parse: ParseFn, onlyModule?: string, memo?: CheckMemo): CheckState {
  loadModules(state, entry, host, parse);
  const memoModule = memo && onlyModule !== undefined ? state.modules.get(onlyModule) : undefined;
  const run = memo && memoModule ? memo.begin(state, memoModule) : undefined;
  for (const module of state.modules.values()) {
    if (!isChecked(module) || !module.ast || (onlyModule !== undefined && module.key !== onlyModule)) continue;
    for (const decl of module.ast.decls) {
      if (module.damaged.has(decl)) continue;
      const m = module.key;
      switch (decl.kind) {
        case "TypeDecl":
          aliasType(state, { kind: "type", module: m, decl });
          break;
        case "WorkflowDecl": {
          const kept = run?.reused.get(decl);
          if (kept) {
            memo!.replay(state, kept);
            break;
          }
          if (run) run.uses.set(decl, (state.usesOfWorkflow = new Set()));
          checkWorkflow(state, module, { kind: "workflow", module: m, decl });
          checkNesting(state, module, decl.body);
          state.usesOfWorkflow = undefined;
          break;
        }
        case "LetDecl":
        case "AgentDecl": {
          const sym = (decl.kind === "LetDecl" ? { kind: "let", module: m, decl } : { kind: "agent", module: m, decl }) as ValueSym;
          globalType(topLevelCtx(state, CALL_CHECKER, module), sym);
          break;
        }
        case "AgentCtorDecl": {
          if (!isAgentConstructor(decl.name.name)) {
            state.report(E.unknownAgentCtor({ file: m, span: decl.name.span }, decl.name.name, AGENT_CONSTRUCTORS));
          } else if (m !== "std/agents") {
            // The runtime's adapter takes std/agents' parameters: another declaration would promise others.
            state.report(E.ctorOutsideStd({ file: m, span: decl.name.span }, decl.name.name));
          }
          const specs = ctorParams(state, { kind: "ctor", module: m, decl });
          decl.params.forEach((p, i) => {
            if (p.default) checkAgainst(topLevelCtx(state, CALL_CHECKER, module), p.default, specs[i]!.type);
          });
          break;
        }
      }
    }
  }
  if (run) memo!.end(state, run);
  checkRecursion(state);
  checkRoleMappings(state, host.roles);
  for (const module of state.modules.values()) {
    if (!module.parsed || !module.ast || (onlyModule !== undefined && module.key !== onlyModule)) continue;
    for (const decl of module.ast.decls) {
      if ((decl.kind === "LetDecl" || decl.kind === "AgentDecl") && !decl.exported && !state.usedDecls.has(decl) && !decl.name.name.startsWith("_")) {
        state.report(E.unused({ file: module.key, span: decl.name.span }, decl.kind === "LetDecl" ? "let" : "agent", decl.name.name));
      }
    }
  }
  return state;
}

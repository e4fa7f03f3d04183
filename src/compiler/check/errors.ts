/**
 * The checker's error catalogue: one constructor per code, each turning structured facts (names,
 * types, candidates) into a Diagnostic. Rendering to text happens elsewhere; wording lives here.
 *
 * Bands: E02xx names and modules, E03xx types, E04xx control flow; W02xx/W04xx warnings.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Span } from "../span.js";
import { T, typeToString, type Type } from "../types.js";

/** Where a diagnostic points: a module key and a span in it. */
export interface Loc {
  readonly file: string;
  readonly span: Span;
}

function error(code: string, loc: Loc, message: string, label?: string, help?: string): Diagnostic {
  return {
    code,
    severity: "error",
    message,
    file: loc.file,
    span: loc.span,
    ...(label !== undefined ? { label } : {}),
    ...(help !== undefined ? { help } : {}),
  };
}

function warning(code: string, loc: Loc, message: string, label?: string, help?: string): Diagnostic {
  return { ...error(code, loc, message, label, help), severity: "warning" };
}

function mentionsLiteral(t: Type): boolean {
  if (t.kind === "literal") return true;
  if (t.kind === "optional") return mentionsLiteral(t.inner);
  return t.kind === "union" && t.members.some(mentionsLiteral);
}

const ty = (t: Type): string => `\`${typeToString(t)}\``;
const didYouMean = (s: string | undefined): string | undefined => (s ? `did you mean \`${s}\`?` : undefined);

/** What kind of binding an unused warning is about. */
export type UnusedKind = "let" | "agent" | "parameter";

/** What a name that is not a value turned out to be. */
export type NotAValueKind = "type" | "workflow" | "agent constructor" | "function";

export const E = {
  // ─── E02xx names and modules ──────────────────────────────────────────────
  moduleNotFound(loc: Loc, specifier: string): Diagnostic {
    const relative = specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("std/");
    return error(
      "E0201",
      loc,
      `cannot find module \`${specifier}\``,
      "no module at this path",
      relative ? undefined : "import paths start with `./`, `../` or `std/`",
    );
  },

  notExported(loc: Loc, name: string, module: string, existsUnexported: boolean, suggestion?: string): Diagnostic {
    return existsUnexported
      ? error(
          "E0202",
          loc,
          `\`${name}\` is not exported by \`${module}\``,
          "declared there without `export`",
          `add \`export\` to the declaration of \`${name}\` in \`${module}\``,
        )
      : error("E0202", loc, `module \`${module}\` has no export \`${name}\``, "not found in that module", didYouMean(suggestion));
  },

  importCycle(loc: Loc, cycle: readonly string[]): Diagnostic {
    return error(
      "E0203",
      loc,
      `import cycle: ${cycle.map((m) => `\`${m}\``).join(" → ")}`,
      "this import closes the cycle",
      "move what both modules need into a third module that both import",
    );
  },

  duplicateName(loc: Loc, name: string, where: string): Diagnostic {
    return error("E0204", loc, `\`${name}\` is defined more than once`, `already defined ${where}`, "rename one of them");
  },

  ctorOutsideStd(loc: Loc, name: string): Diagnostic {
    return error(
      "E0205",
      loc,
      `agent constructors are declared by \`std/agents\` only`,
      "its runtime adapter takes std/agents' parameters",
      `import it: \`import { ${name} } from "std/agents"\``,
    );
  },

  unknownAgentCtor(loc: Loc, name: string, known: readonly string[]): Diagnostic {
    return error(
      "E0205",
      loc,
      `\`${name}\` is not an agent constructor the runtime provides`,
      "no runtime adapter by this name",
      `the runtime provides ${known.map((k) => `\`${k}\``).join(", ")}`,
    );
  },

  usedBeforeDefined(loc: Loc, name: string, label: string, help?: string): Diagnostic {
    return error("E0206", loc, `step \`${name}\` is used before it is defined`, label, help);
  },

  unknownName(loc: Loc, name: string, suggestion?: string): Diagnostic {
    return error("E0207", loc, `unknown name \`${name}\``, "not defined here", didYouMean(suggestion));
  },

  unknownType(loc: Loc, name: string, suggestion?: string): Diagnostic {
    return error("E0208", loc, `unknown type \`${name}\``, "no type by this name", didYouMean(suggestion));
  },

  notAValue(loc: Loc, name: string, kind: NotAValueKind): Diagnostic {
    const help =
      kind === "workflow"
        ? `run it as a step: \`step result = ${name}(…)\``
        : kind === "type"
          ? undefined
          : `call it: \`${name}(…)\``;
    return error("E0209", loc, `\`${name}\` is a ${kind}, not a value`, undefined, help);
  },

  // ─── E03xx types ──────────────────────────────────────────────────────────
  unknownStep(loc: Loc, name: string, workflow: string | undefined, suggestion?: string): Diagnostic {
    return error(
      "E0301",
      loc,
      `unknown step \`${name}\``,
      workflow ? `not defined in workflow \`${workflow}\`` : "not defined here",
      didYouMean(suggestion),
    );
  },

  /** A field read on `T?`; `name` is the step or local read, when the value is one (only names narrow). */
  optionalField(loc: Loc, field: string, type: Type, name?: string): Diagnostic {
    if (name === undefined) {
      return error(
        "E0302",
        loc,
        `cannot read \`${field}\` of an optional value`,
        `this is ${ty(type)}, which may be none`,
        "use `?.` or `??`",
      );
    }
    return error(
      "E0302",
      loc,
      `cannot read \`${field}\` of \`${name}\`, which may be none`,
      `\`${name}\` is ${ty(type)} here`,
      `guard it with \`if ${name} != none { … }\` (or stop first: \`if ${name} == none { fail("…") }\`), or write \`${name}?.${field} ?? …\``,
    );
  },

  cannotInterpolate(loc: Loc, type: Type): Diagnostic {
    const help =
      type.kind === "optional"
        ? "give a default with `??`, e.g. `${x ?? \"\"}`"
        : type.kind === "list" && (type.element.kind === "string" || type.element.kind === "literal")
          ? "turn a list into text with `join(list, \", \")`"
          : "turn it into text with `tojson(…)`";
    return error("E0303", loc, `cannot interpolate a value of type ${ty(type)}`, "not text, a number, a bool, a duration or a path", help);
  },

  mismatch(loc: Loc, expected: Type, found: Type, label?: string, help?: string): Diagnostic {
    // A string literal's own type matters only where strings are told apart (`"low" | "high"`).
    const shown = found.kind === "literal" && !mentionsLiteral(expected) ? T.string : found;
    return error("E0304", loc, `expected ${ty(expected)}, found ${ty(shown)}`, label, help);
  },

  returnWithoutType(loc: Loc, workflow: string): Diagnostic {
    return error(
      "E0305",
      loc,
      `workflow \`${workflow}\` does not declare a return type`,
      "this returns a value",
      `declare one: \`workflow ${workflow}(…) -> T\`, or write \`return\` alone`,
    );
  },

  unknownField(loc: Loc, field: string, type: Type, suggestion?: string): Diagnostic {
    return error("E0306", loc, `no field \`${field}\` on ${ty(type)}`, undefined, didYouMean(suggestion));
  },

  unknownOption(loc: Loc, option: string, callee: string, suggestion?: string, known?: readonly string[]): Diagnostic {
    const help = suggestion
      ? didYouMean(suggestion)
      : known && known.length > 0
        ? `\`${callee}\` takes ${known.map((k) => `\`${k}\``).join(", ")}`
        : undefined;
    return error("E0307", loc, `unknown option \`${option}\` for \`${callee}\``, undefined, help);
  },

  badEnumValue(loc: Loc, value: string, option: string, allowed: readonly string[]): Diagnostic {
    return error(
      "E0308",
      loc,
      `${JSON.stringify(value)} is not a valid value for \`${option}\``,
      undefined,
      `expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
    );
  },

  missingArgument(loc: Loc, name: string, callee: string, type: Type): Diagnostic {
    return error("E0309", loc, `missing argument \`${name}\` for \`${callee}\``, `\`${name}: ${typeToString(type)}\` is required`);
  },

  actionOutsideStep(loc: Loc, action: string): Diagnostic {
    return error(
      "E0310",
      loc,
      `\`${action}(…)\` is an action and can only be the value of a step`,
      "actions are graph nodes, not expressions",
      `write \`step name = ${action}(…)\` and use \`name\``,
    );
  },

  stepNotAction(loc: Loc, what: string): Diagnostic {
    return error(
      "E0311",
      loc,
      "a step's value must be an action",
      what,
      "actions are `sh(…)`, `agent.ask(…)`, `approve(…)` and workflow calls; bind a plain value with `let`",
    );
  },

  rawOutsideSh(loc: Loc): Diagnostic {
    return error(
      "E0312",
      loc,
      "`raw(…)` can only be used inside an `sh` command string, as `sh`'s command, or where a `command` is expected",
      undefined,
      "write it as `sh(\"… ${raw(x)} …\")`",
    );
  },

  valueAsCommand(loc: Loc, found: Type): Diagnostic {
    return error(
      "E0331",
      loc,
      `a value of type ${ty(found)} cannot be used as a shell command`,
      "its text would reach the shell unquoted",
      "write the command literally, `sh(\"echo ${x}\")`, so each `${…}` is quoted for where it lands (a `command` parameter takes such a literal too), or wrap trusted text in `raw(…)`",
    );
  },

  commandInReply(loc: Loc): Diagnostic {
    return error(
      "E0331",
      loc,
      "an agent's reply cannot be command text",
      "a `command` here would run the reply's text unquoted",
      "ask for a `string` and splice it into `sh(\"…\")`, where it is quoted",
    );
  },

  badOperands(loc: Loc, op: string, left: Type, right?: Type): Diagnostic {
    const widen = (t: Type): Type => (t.kind === "literal" ? { kind: "string" } : t);
    left = widen(left);
    right = right && widen(right);
    return right
      ? error("E0313", loc, `cannot apply \`${op}\` to ${ty(left)} and ${ty(right)}`)
      : error("E0313", loc, `cannot apply \`${op}\` to ${ty(left)}`);
  },

  notCallable(loc: Loc, name: string, what: string): Diagnostic {
    return error("E0314", loc, `\`${name}\` cannot be called`, what);
  },

  tooManyArgs(loc: Loc, callee: string, positional: number): Diagnostic {
    return error(
      "E0315",
      loc,
      `too many positional arguments for \`${callee}\``,
      `\`${callee}\` takes ${positional} positional argument${positional === 1 ? "" : "s"}`,
      "name the extra arguments: `name: value`",
    );
  },

  recursiveType(loc: Loc, name: string): Diagnostic {
    return error("E0316", loc, `type \`${name}\` refers to itself`, "types cannot be recursive");
  },

  notIndexable(loc: Loc, type: Type): Diagnostic {
    return error(
      "E0317",
      loc,
      `cannot index a value of type ${ty(type)}`,
      undefined,
      type.kind === "optional" ? "give a default with `??` first" : "only lists and json can be indexed",
    );
  },

  exprStatement(loc: Loc): Diagnostic {
    return error(
      "E0318",
      loc,
      "this expression does nothing on its own",
      undefined,
      "bind it with `let name = …`, or make it a step",
    );
  },

  extraField(loc: Loc, field: string, type: Type, suggestion?: string): Diagnostic {
    return error("E0319", loc, `unexpected field \`${field}\` for ${ty(type)}`, undefined, didYouMean(suggestion));
  },

  missingField(loc: Loc, field: string, type: Type): Diagnostic {
    return error("E0320", loc, `missing field \`${field}\` for ${ty(type)}`);
  },

  duplicateArgument(loc: Loc, name: string): Diagnostic {
    return error("E0321", loc, `argument \`${name}\` is given more than once`);
  },

  selfReferentialLet(loc: Loc, name: string): Diagnostic {
    return error("E0322", loc, `\`${name}\` is defined in terms of itself`);
  },

  unknownMethod(loc: Loc, name: string, type: Type): Diagnostic {
    return error(
      "E0323",
      loc,
      `no method \`${name}\` on ${ty(type)}`,
      undefined,
      type.kind === "agent" ? "an agent has one method: `ask`" : undefined,
    );
  },

  typeArity(loc: Loc, name: string, expected: number): Diagnostic {
    return error(
      "E0324",
      loc,
      `\`${name}\` takes ${expected === 0 ? "no type arguments" : expected === 1 ? "one type argument" : `${expected} type arguments`}`,
      undefined,
      name === "list" ? "write `list<T>`" : undefined,
    );
  },

  nonLiteralUnion(loc: Loc): Diagnostic {
    return error(
      "E0325",
      loc,
      "only string literals can be joined with `|`",
      undefined,
      "write a union of strings: `\"low\" | \"high\"`, or use `json`",
    );
  },

  negativeOption(loc: Loc, name: string): Diagnostic {
    return error("E0329", loc, `\`${name}\` cannot be negative`, "below zero", name === "retry" ? "write `retry: 0` for no retries" : "leave it out for no limit");
  },

  /** `verdict == "shipp"` where `verdict` is a union of string literals without `"shipp"`. */
  noOverlap(loc: Loc, op: "==" | "!=", value: string, allowed: readonly string[], suggestion?: string): Diagnostic {
    const values = allowed.map((a) => JSON.stringify(a)).join(", ");
    return error(
      "E0335",
      loc,
      `this comparison is always ${op === "==" ? "false" : "true"}: ${JSON.stringify(value)} is not one of ${values}`,
      "not a value the other side can have",
      suggestion !== undefined ? `did you mean ${JSON.stringify(suggestion)}?` : `compare with one of ${values}`,
    );
  },

  /** `verdict == mode` where the two are unions of string literals without a value in common. */
  noOverlappingTypes(loc: Loc, op: "==" | "!=", left: Type, right: Type): Diagnostic {
    return error(
      "E0335",
      loc,
      `this comparison is always ${op === "==" ? "false" : "true"}: ${ty(left)} and ${ty(right)} have no value in common`,
      "these can never be equal",
    );
  },

  /** `timeout: 0s`: the step could only time out. */
  zeroTimeout(loc: Loc): Diagnostic {
    return error("E0329", loc, "`timeout` cannot be zero", "the step could only time out", "give it time to run, e.g. `timeout: 10m`, or leave it out for no limit");
  },

  nestedTooDeep(loc: Loc, max: number): Diagnostic {
    return error(
      "E0410",
      loc,
      `blocks nest more than ${max} deep here`,
      "too deep to store and run",
      "move the inner part into a workflow of its own and call it as a step",
    );
  },

  tooManyOperators(loc: Loc, max: number): Diagnostic {
    return error("E0330", loc, `this expression nests more than ${max} operators or brackets deep`, "too deep to run", "name parts of it with `let`");
  },

  intTooLarge(loc: Loc): Diagnostic {
    return error("E0328", loc, "this whole number is too large to be exact", "beyond ±9,007,199,254,740,991", "write it as text, or as a float with a `.`");
  },

  unsafeSplice(loc: Loc, why: string, help: string, label = "no quoting makes a value safe here"): Diagnostic {
    return error("E0327", loc, why, label, help);
  },

  notAType(loc: Loc): Diagnostic {
    return error("E0326", loc, "`output:` takes a type", "not a type", "write a type such as `Plan`, `list<Task>` or `{ summary: string }`");
  },

  // ─── E04xx control flow ───────────────────────────────────────────────────
  prevOutsideRepeat(loc: Loc): Diagnostic {
    return error("E0401", loc, "`prev(…)` can only be used inside a `repeat` loop", undefined, "it reads the previous round of a `repeat`");
  },

  prevNotBodyStep(loc: Loc, name: string): Diagnostic {
    return error(
      "E0401",
      loc,
      `\`${name}\` is not a step of the enclosing \`repeat\` body`,
      "`prev(…)` takes a step defined inside the loop",
    );
  },

  badParallelLimit(loc: Loc): Diagnostic {
    return error("E0406", loc, "a `parallel` limit must be at least 1", "nothing could run", "write `parallel 1` to run one at a time");
  },

  badRepeatBound(loc: Loc): Diagnostic {
    return error(
      "E0402",
      loc,
      "`repeat max` needs a whole number of at least 1, or an `int` parameter",
      "not a bound known before the loop starts",
      "write `repeat max 3 { … }`",
    );
  },

  recursion(loc: Loc, cycle: readonly string[]): Diagnostic {
    return error(
      "E0403",
      loc,
      `workflows cannot call themselves: ${cycle.map((c) => `\`${c}\``).join(" → ")}`,
      "this call closes the cycle",
      "use `repeat max N { … }` for a bounded loop",
    );
  },

  missingReturn(loc: Loc, workflow: string, type: Type): Diagnostic {
    return error(
      "E0404",
      loc,
      `workflow \`${workflow}\` can end without returning ${ty(type)}`,
      "the end of this workflow is reachable",
      "add a `return` at the end",
    );
  },

  returnWithoutValue(loc: Loc, type: Type): Diagnostic {
    return error("E0405", loc, `\`return\` needs a value of type ${ty(type)}`, "the workflow declares a return type");
  },

  // ─── Warnings ─────────────────────────────────────────────────────────────
  unused(loc: Loc, kind: UnusedKind, name: string): Diagnostic {
    return warning(
      "W0201",
      loc,
      `unused ${kind} \`${name}\``,
      "never read",
      `remove it, or name it \`_${name}\` to keep it`,
    );
  },

  unreachable(loc: Loc, after: "return" | "fail" | "branches"): Diagnostic {
    const label =
      after === "branches"
        ? "this never runs: every path before it ends in `return` or `fail`"
        : `this never runs: it follows a \`${after}\``;
    return warning("W0401", loc, "unreachable statement", label, "remove it");
  },

  untilReadsNothing(loc: Loc): Diagnostic {
    return warning(
      "W0402",
      loc,
      "this loop can only exhaust or stop after its first round",
      "the condition reads nothing the loop body produces",
      "test a step of the body, e.g. `until test.ok`, or use `prev(…)`",
    );
  },
} as const;

#!/usr/bin/env node
/**
 * Times one part of the front end on one file, in a fresh process: the first call (cold, as
 * `cmc check` runs it, construction of a chevrotain lexer or parser included) and the median of
 * five more (warm). Prints `{"cold": ms, "warm": ms, "lines": n}`. Used by bench/suites/frontend.js.
 *
 *   node bench/lib/frontend-part.js fast|parse|lex|lex-raw|embedded|chevrotain FILE
 *
 * fast: today's hand-written scanner and parser (`fastParse`); parse: `parse()`, the fast path with
 * chevrotain reading only the failing items; lex: the chevrotain lexer and terminator pass (`lex`);
 * lex-raw: chevrotain's `Lexer.tokenize` alone, built with every option the performance guide gives
 * (`positionTracking: "onlyOffset"`, `ensureOptimizations`, `skipValidations`); embedded: `lex`,
 * then the grammar of cst-parser.ts built on chevrotain's `EmbeddedActionsParser` instead (no CST,
 * no recovery, validations skipped) with no actions: recognition only, so a lower bound for a
 * chevrotain parser that builds the AST in embedded actions; chevrotain: the
 * whole chevrotain path (`parseWithRecovery`: lexer, `CstParser`, CST-to-AST visitor).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { fileURLToPath } from "node:url";

setFlagsFromString("--interrupt-budget=300000"); // as bin/cmc.js
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dist = (p) => import(path.join(root, "dist", p));
const [what, file] = process.argv.slice(2);
const text = readFileSync(file, "utf8");

async function part() {
  switch (what) {
    case "fast": {
      const { fastParse } = await dist("compiler/parser/fast-parser.js");
      return () => fastParse(text, file);
    }
    case "parse": {
      const { parse } = await dist("compiler/parser/index.js");
      return () => parse(text, file);
    }
    case "lex": {
      const { lex } = await dist("compiler/lexer/lexer.js");
      return () => lex(text, file);
    }
    case "lex-raw": {
      const { Lexer } = await import("chevrotain");
      const { lexedTokens } = await dist("compiler/lexer/tokens.js");
      let lexer;
      return () => {
        lexer ??= new Lexer(lexedTokens, { positionTracking: "onlyOffset", ensureOptimizations: true, skipValidations: true });
        return lexer.tokenize(text);
      };
    }
    case "embedded": {
      const { EmbeddedActionsParser } = await import("chevrotain");
      const { lex } = await dist("compiler/lexer/lexer.js");
      const { CmParser } = await dist("compiler/parser/cst-parser.js");
      // CmParser's constructor calls whatever class its prototype chain names: the same rules then
      // build an embedded-actions parser.
      class Embedded extends EmbeddedActionsParser {
        constructor(tokens, config) {
          super(tokens, { ...config, recoveryEnabled: false, skipValidations: true });
        }
      }
      Object.setPrototypeOf(CmParser, Embedded);
      Object.setPrototypeOf(CmParser.prototype, Embedded.prototype);
      let parser;
      return () => {
        const { tokens } = lex(text, file);
        parser ??= new CmParser();
        parser.input = tokens;
        parser.module();
        if (parser.errors.length > 0) throw new Error(`embedded: ${parser.errors[0].message}`);
      };
    }
    case "chevrotain": {
      const { parseWithRecovery } = await dist("compiler/parser/index.js");
      return () => parseWithRecovery(text, file);
    }
    default:
      throw new Error(`unknown part ${what}`);
  }
}

const run = await part();
const time = () => {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
};
const cold = time();
const warm = Array.from({ length: 5 }, time).sort((a, b) => a - b)[2];
console.log(JSON.stringify({ cold, warm, lines: text.split("\n").length - 1 }));

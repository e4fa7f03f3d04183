/**
 * The screenshot of the editor support in the README (docs/images/editor.png), made from what the
 * extension really produces: `cmc lsp` run as a real process answers a session on
 * fixtures/ship.cm (diagnostics, a hover, a completion after `.`, the quick fixes of the
 * did-you-mean), the extension's TextMate grammar highlights it in Dark+'s colours, and headless
 * Chromium (Debian's /usr/bin/chromium through playwright-core) renders the page that draws them.
 * It is not VS Code: the window around the code is drawn by editor-page.ts.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { LspClient } from "../lsp/client.js";
import { editorPage, LINE_HEIGHT, type CompletionItem, type Diagnostic, type Position, type Range } from "./editor-page.js";
import { highlight } from "./highlight.js";
import { hoverHtml } from "./hover-markdown.js";

const CHROMIUM = "/usr/bin/chromium";
const FIXTURE = "test/editor/fixtures/ship.cm";
const SCREENSHOT = path.join(repoRoot, "docs/images/editor.png");
const WIDTH = 1320;

const text = readFileSync(path.join(repoRoot, FIXTURE), "utf8");

/** The position `offset` characters into the first occurrence of `needle` in the fixture. */
function positionOf(needle: string, offset = 0): Position {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`\`${needle}\` is not in ${FIXTURE}`);
  const before = text.slice(0, at + offset);
  return { line: before.split("\n").length - 1, character: before.length - (before.lastIndexOf("\n") + 1) };
}

function sourceAt(range: Range): string {
  const lines = text.split("\n");
  if (range.start.line !== range.end.line) throw new Error("the fixture's diagnostics are on one line each");
  return lines[range.start.line]!.slice(range.start.character, range.end.character);
}

interface Session {
  readonly diagnostics: Diagnostic[];
  readonly hover: { contents: { value: string }; range: Range };
  readonly completion: { at: Position; items: CompletionItem[] };
  readonly quickFixes: string[];
  readonly didYouMean: number;
}

/** One editing session with the real server: open the file, hover, complete, ask for quick fixes. */
async function session(): Promise<Session> {
  const client = await LspClient.start(repoRoot);
  try {
    await client.open(FIXTURE, text);
    const diagnostics = (await client.diagnostics(FIXTURE)).diagnostics as Diagnostic[];
    const textDocument = { uri: client.uri(FIXTURE) };
    const hover = await client.request<Session["hover"]>("textDocument/hover", { textDocument, position: positionOf("output: Plan", "output: ".length) });
    const at = positionOf("${task.", "${task.".length);
    const items = await client.request<CompletionItem[]>("textDocument/completion", { textDocument, position: at });
    const didYouMean = diagnostics.findIndex((d) => d.message.includes("did you mean"));
    const actions = await client.request<{ title: string; kind?: string }[]>("textDocument/codeAction", {
      textDocument,
      range: diagnostics[didYouMean]?.range ?? { start: at, end: at },
      context: { diagnostics: didYouMean >= 0 ? [diagnostics[didYouMean]] : [] },
    });
    return { diagnostics, hover, completion: { at, items }, quickFixes: actions.filter((a) => a.kind === "quickfix").map((a) => a.title), didYouMean };
  } finally {
    await client.stop();
  }
}

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

describe("the editor screenshot", () => {
  it("draws cmc lsp's answers over the grammar's colours in headless Chromium, and saves docs/images/editor.png", { timeout: 90_000 }, async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
      ctx.skip(`${CHROMIUM} is missing (apt-get install chromium fonts-dejavu-core)`);
    }
    const s = await session();

    // What the server said, before anything is drawn.
    expect(s.diagnostics.map((d) => d.code).sort()).toEqual(["E0207", "E0304"]);
    const typo = s.diagnostics[s.didYouMean]!;
    expect(sourceAt(typo.range)).toBe("implemnt");
    expect(typo.message).toContain("did you mean `implement`?");
    expect(sourceAt(s.diagnostics.find((d) => d.code === "E0304")!.range)).toBe('"twice"');
    expect(s.hover.contents.value).toContain("type Plan = { summary: string");
    expect(s.completion.items.map((i) => i.label)).toEqual(["title", "files"]);
    expect(s.quickFixes).toContain("Change to `implement`");

    const scene = {
      path: FIXTURE,
      lines: await highlight(text),
      diagnostics: s.diagnostics,
      completion: s.completion,
      hover: { range: s.hover.range, html: await hoverHtml(s.hover.contents.value) },
      problemHover: { diagnostic: s.didYouMean, quickFixes: s.quickFixes },
    };
    browser = await chromium.launch({ executablePath: CHROMIUM });
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 600 }, deviceScaleFactor: 2 });
    await page.setContent(editorPage(scene, WIDTH));
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => document.fonts.check('14px "DejaVu Sans Mono"'))).toBe(true);

    // Each diagnostic's underline covers its range's text and starts at its line and column.
    const charWidth = await page.evaluate(() => {
      const probe = document.createElement("span");
      probe.textContent = "0".repeat(100);
      document.getElementById("code")!.appendChild(probe);
      const width = probe.getBoundingClientRect().width / 100;
      probe.remove();
      return width;
    });
    for (const [i, d] of s.diagnostics.entries()) {
      const drawn = await page.evaluate((i) => {
        const code = document.getElementById("code")!.getBoundingClientRect();
        const pieces = [...document.querySelectorAll<HTMLElement>(`.squiggle[data-diagnostic~="${i}"]`)];
        const first = pieces[0]!;
        const style = getComputedStyle(first);
        return {
          text: pieces.map((p) => p.textContent).join(""),
          left: first.getBoundingClientRect().left - code.left,
          top: first.getBoundingClientRect().top - code.top,
          line: style.textDecorationLine,
          wave: style.textDecorationStyle,
          colour: style.textDecorationColor,
        };
      }, i);
      expect(drawn.text).toBe(sourceAt(d.range));
      expect(drawn.left).toBeCloseTo(d.range.start.character * charWidth, 0);
      expect(Math.floor(drawn.top / LINE_HEIGHT)).toBe(d.range.start.line);
      expect([drawn.line, drawn.wave, drawn.colour]).toEqual(["underline", "wavy", "rgb(241, 76, 76)"]);
    }

    // Tokens got Dark+'s colours for their scopes.
    const colours = await page.evaluate(() => {
      const of = (selector: string) => [...document.querySelectorAll<HTMLElement>(`#code .line ${selector}`)].map((e) => `${e.textContent} ${getComputedStyle(e).color}`);
      return {
        control: of('[data-scope="keyword.control.cm"]'),
        step: of('[data-scope="keyword.other.step.cm"]'),
        comment: of('[data-scope^="comment."]'),
        type: of('[data-scope="support.type.primitive.cm"]'),
      };
    });
    expect(colours.control.map((c) => c.split(" ")[0])).toEqual(expect.arrayContaining(["if", "for", "in", "repeat", "until"]));
    expect(new Set(colours.control.map((c) => c.replace(/^\S+ /, "")))).toEqual(new Set(["rgb(197, 134, 192)"]));
    expect(new Set(colours.step.map((c) => c.replace(/^\S+ /, "")))).toEqual(new Set(["rgb(86, 156, 214)"]));
    expect(colours.comment.map((c) => c.replace(/^.* (rgb)/, "$1"))).toEqual(["rgb(106, 153, 85)", "rgb(106, 153, 85)"]);
    expect(new Set(colours.type.map((c) => c.replace(/^\S+ /, "")))).toEqual(new Set(["rgb(78, 201, 176)"]));

    // The panels list what the server answered.
    const shown = await page.evaluate(() => ({
      problems: [...document.querySelectorAll<HTMLElement>("#problems .row")].map((r) => `${r.dataset.code} ${r.querySelector(".where")!.textContent}`),
      suggestions: [...document.querySelectorAll<HTMLElement>(".suggest .item")].map((r) => r.dataset.label),
      hover: document.getElementById("hover")!.textContent,
      quickFix: document.querySelector("#problem-hover .quick-fix")?.textContent,
    }));
    const at = (d: Diagnostic) => `[Ln ${d.range.start.line + 1}, Col ${d.range.start.character + 1}]`;
    expect(shown.problems).toEqual([...s.diagnostics].sort((a, b) => a.range.start.line - b.range.start.line).map((d) => `${d.code} ${at(d)}`));
    expect(shown.suggestions).toEqual(s.completion.items.map((i) => i.label));
    expect(shown.hover).toContain("type Plan = { summary: string");
    expect(shown.quickFix).toContain("Change to `implement`");

    // The widgets sit where they belong and hide none of each other.
    const boxes = await page.evaluate(() => {
      const code = document.getElementById("code")!.getBoundingClientRect();
      return ["#hover", "#problem-hover", ".suggest"].map((sel) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return { top: r.top - code.top, bottom: r.bottom - code.top, left: r.left - code.left, right: r.right - code.left };
      });
    });
    const [hoverBox, problemBox, suggestBox] = boxes as [(typeof boxes)[0], (typeof boxes)[0], (typeof boxes)[0]];
    expect(hoverBox.bottom).toBeLessThanOrEqual(s.hover.range.start.line * LINE_HEIGHT);
    expect(problemBox.top).toBeGreaterThanOrEqual((typo.range.start.line + 1) * LINE_HEIGHT);
    expect(suggestBox.top).toBeGreaterThanOrEqual((s.completion.at.line + 1) * LINE_HEIGHT);
    for (const [a, b] of [[hoverBox, problemBox], [hoverBox, suggestBox], [problemBox, suggestBox]] as const) {
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      expect(apart, JSON.stringify({ a, b })).toBe(true);
    }

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(png.readUInt32BE(16)).toBe(WIDTH * 2);
    expect(png.length).toBeLessThan(500_000);
  });
});

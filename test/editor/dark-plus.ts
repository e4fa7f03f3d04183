/**
 * VS Code's default dark theme, Dark+, for the scopes `grammar/cm.tmLanguage.json` gives: the
 * token colours of `extensions/theme-defaults/themes/dark_plus.json` and of `dark_vs.json`, which
 * it includes, in the microsoft/vscode repository (a Dark+ rule replaces a Dark VS rule of the same
 * selector), and the colours of the editor's widgets from the same theme.
 */

/** Selector → foreground. A selector matches a scope equal to it or starting with it and a dot. */
const TOKEN_COLOURS: ReadonlyMap<string, string> = new Map([
  ["comment", "#6A9955"],
  ["constant.language", "#569CD6"],
  ["constant.numeric", "#B5CEA8"],
  ["constant.character", "#569CD6"],
  ["constant.character.escape", "#D7BA7D"],
  ["entity.name.function", "#DCDCAA"],
  ["entity.name.type", "#4EC9B0"],
  ["support.type", "#4EC9B0"],
  ["invalid", "#F44747"],
  ["keyword", "#569CD6"],
  ["keyword.control", "#C586C0"],
  ["keyword.operator", "#D4D4D4"],
  ["storage", "#569CD6"],
  ["storage.type", "#569CD6"],
  ["string", "#CE9178"],
  ["variable", "#9CDCFE"],
]);

/** The editor's foreground where no rule matches. */
export const EDITOR_FOREGROUND = "#D4D4D4";

/** Colours of the editor and its widgets (Dark+'s `colors`). */
export const UI = {
  editorBackground: "#1E1E1E",
  lineNumber: "#858585",
  activeLineNumber: "#C6C6C6",
  lineHighlightBorder: "#282828",
  cursor: "#AEAFAD",
  error: "#F14C4C",
  widgetBackground: "#252526",
  widgetBorder: "#454545",
  widgetForeground: "#CCCCCC",
  descriptionForeground: "#9D9D9D",
  link: "#3794FF",
  selectedBackground: "#04395E",
  selectedBorder: "#007FD4",
  fieldIcon: "#75BEFF",
  titleBar: "#3C3C3C",
  tabsBackground: "#252526",
  inactiveTab: "#2D2D2D",
  panelBorder: "#80808059",
  panelTitleActive: "#E7E7E7",
  panelTitleInactive: "#E7E7E799",
  statusBar: "#007ACC",
} as const;

/** The rule for one scope: the longest selector that matches it, if any. */
function ruleFor(scope: string): string | undefined {
  const parts = scope.split(".");
  for (let n = parts.length; n > 0; n--) {
    const colour = TOKEN_COLOURS.get(parts.slice(0, n).join("."));
    if (colour !== undefined) return colour;
  }
  return undefined;
}

/**
 * The foreground of a token with `scopes` (outermost first), as vscode-textmate resolves it: each
 * scope a rule matches sets the colour for the scopes inside it, so the innermost matched wins.
 */
export function foregroundOf(scopes: readonly string[]): string {
  let colour = EDITOR_FOREGROUND;
  for (const scope of scopes) colour = ruleFor(scope) ?? colour;
  return colour;
}

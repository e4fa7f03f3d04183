/**
 * A private, clean environment for one run of a real CLI: its own HOME (and CODEX_HOME,
 * XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME, XDG_STATE_HOME) in a temporary folder, none of
 * the machine's API keys or settings, and every proxy pointed at a closed loopback port so that a
 * request which does not go to the mock fails fast instead of reaching the network.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Variables kept from the test's own environment: what finds programs and what names the locale. */
const KEPT = ["PATH", "LANG", "LC_ALL", "TERM", "TZ"] as const;

/** Where nothing listens (port 9, discard, is closed on loopback here): a proxy there refuses at once. */
const DEAD_PROXY = "http://127.0.0.1:9";

export interface PrivateHome {
  /** The temporary folder holding everything below. */
  readonly root: string;
  readonly home: string;
  readonly codexHome: string;
  readonly xdgConfig: string;
  readonly xdgData: string;
  /** The workspace where the workflow is written and run. */
  readonly workspace: string;
  /** The clean environment; pass `extra` for the CLI's own settings (base URL, key). */
  env(extra?: Readonly<Record<string, string>>): Record<string, string>;
  /** Writes a file under the private folder (`rel` relative to `root`), creating its folders. */
  write(rel: string, text: string): string;
  remove(): void;
}

export function privateHome(): PrivateHome {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), "cmc-conf-")));
  const dirs = {
    home: path.join(root, "home"),
    codexHome: path.join(root, "home", ".codex"),
    xdgConfig: path.join(root, "home", ".config"),
    xdgData: path.join(root, "home", ".local", "share"),
    xdgCache: path.join(root, "home", ".cache"),
    xdgState: path.join(root, "home", ".local", "state"),
    tmp: path.join(root, "tmp"),
    workspace: path.join(root, "workspace"),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return {
    root,
    home: dirs.home,
    codexHome: dirs.codexHome,
    xdgConfig: dirs.xdgConfig,
    xdgData: dirs.xdgData,
    workspace: dirs.workspace,
    env(extra = {}) {
      const env: Record<string, string> = {};
      for (const name of KEPT) {
        const value = process.env[name];
        if (value !== undefined) env[name] = value;
      }
      return {
        ...env,
        HOME: dirs.home,
        USER: "conformance",
        CODEX_HOME: dirs.codexHome,
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_DATA_HOME: dirs.xdgData,
        XDG_CACHE_HOME: dirs.xdgCache,
        XDG_STATE_HOME: dirs.xdgState,
        TMPDIR: dirs.tmp,
        CI: "1",
        NO_COLOR: "1",
        HTTP_PROXY: DEAD_PROXY,
        HTTPS_PROXY: DEAD_PROXY,
        ALL_PROXY: DEAD_PROXY,
        http_proxy: DEAD_PROXY,
        https_proxy: DEAD_PROXY,
        all_proxy: DEAD_PROXY,
        NO_PROXY: "127.0.0.1,localhost",
        no_proxy: "127.0.0.1,localhost",
        ...extra,
      };
    },
    write(rel, text) {
      const file = path.join(root, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

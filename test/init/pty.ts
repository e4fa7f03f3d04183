/**
 * A real pseudo-terminal for tests of interactive commands: a private tmux server runs the command
 * in a window; the test types keys and reads the screen.
 */
import { execa } from "execa";

export interface Pty {
  /** Types keys: tmux key names (`Enter`, `Down`, `Space`) or literal text. */
  send(...keys: string[]): Promise<void>;
  /** The screen as text. */
  screen(): Promise<string>;
  /** Waits until the screen shows `text`; fails with the screen after `ms`. */
  waitFor(text: string | RegExp, ms?: number): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/** Runs `argv` in `cwd` with exactly `env` (undefined values left out) on a 100×40 terminal; it prints `[exit N]` when it ends. */
export async function startPty(argv: readonly string[], cwd: string, env: Record<string, string | undefined>): Promise<Pty> {
  const socket = `cmc-test-${process.pid}-${counter++}`;
  const tmux = (...args: string[]) => execa("tmux", ["-L", socket, "-f", "/dev/null", ...args]);
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const vars = Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [quote(`${k}=${v}`)]));
  const command = `cd ${quote(cwd)} && env -i ${vars.join(" ")} ${argv.map(quote).join(" ")}; echo "[exit $?]"; sleep 600`;
  await tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "40", command);
  const screen = async () => (await tmux("capture-pane", "-p", "-t", "t")).stdout;
  return {
    async send(...keys) {
      for (const key of keys) await tmux("send-keys", "-t", "t", key);
    },
    screen,
    async waitFor(text, ms = 20_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const shown = await screen();
        if (typeof text === "string" ? shown.includes(text) : text.test(shown)) return shown;
        if (Date.now() > deadline) throw new Error(`the terminal never showed ${String(text)}; it shows:\n${shown}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await tmux("kill-server").catch(() => {});
    },
  };
}

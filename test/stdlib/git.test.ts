/** std/git: branch, diff and commit run for real in a temporary git repository. */
import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, expect, it } from "vitest";
import { GIT_ENV } from "../examples/harness.js";
import { workspace, type Workspace } from "../runtime/workspace.js";


let ws: Workspace;
const git = (...args: string[]) => execFileSync("git", args, { cwd: ws.dir, env: { ...process.env, ...GIT_ENV }, encoding: "utf8" });

beforeEach(() => {
  ws = workspace();
  ws.write("notes.txt", "one\n");
  ws.write("todo.txt", "a\n");
  git("init", "-q", "-b", "main");
  git("add", "notes.txt", "todo.txt");
  git("commit", "-q", "-m", "Initial commit");
});
afterEach(() => ws.remove());

it("switches to a new branch, diffs the working tree, commits everything or only what is staged, and returns the hashes", async () => {
  ws.write(
    "flow.cm",
    `import { branch, diff, commit } from "std/git"

    workflow main() -> { branch: string, diff: string, all: string, staged: string, since: string } {
      step onBranch = branch(name: "docs/notes")
      step edit = sh("echo two >> notes.txt && echo new > added.txt")
      step changes = diff()
      step everything = commit(message: "Add to the notes")
      step more = sh("echo three >> notes.txt && echo b >> todo.txt && git add todo.txt")
      step partial = commit(message: "Only the todo", all: false)
      step since = diff(base: "main")
      return { branch: onBranch, diff: changes, all: everything, staged: partial, since: since }
    }`,
  );
  const r = await ws.cmc(["run", "flow.cm", "--json"], { env: GIT_ENV });
  expect(r.code, r.stderr).toBe(0);
  const out = ws.json(r).result as { branch: string; diff: string; all: string; staged: string; since: string };

  expect(out.branch).toBe("docs/notes");
  expect(git("branch", "--show-current").trim()).toBe("docs/notes");
  // diff() shows tracked changes against HEAD (the new, untracked file is not in it).
  expect(out.diff).toContain("+two");
  expect(out.diff).not.toContain("added.txt");

  const [head, parent] = git("log", "--format=%H", "-2").trim().split("\n");
  expect(out.staged).toBe(head);
  expect(out.all).toBe(parent);
  expect(git("show", "--name-only", "--format=%s", out.all).trim().split("\n")).toEqual(["Add to the notes", "", "added.txt", "flow.cm", "notes.txt"]);
  expect(git("show", "--name-only", "--format=%s", out.staged).trim().split("\n")).toEqual(["Only the todo", "", "todo.txt"]);
  // all: false left the unstaged change alone; diff(base: "main") sees both commits and it.
  expect(git("status", "--porcelain")).toBe(" M notes.txt\n");
  expect(out.since).toContain("+new");
  expect(out.since).toContain("+three");
  expect(out.since).toContain("+b");
  // The run's own store (.cmc/ ignores itself) is never committed.
  expect(git("ls-files").trim().split("\n")).toEqual(["added.txt", "flow.cm", "notes.txt", "todo.txt"]);
});

it("fails the branch step when the branch already exists, naming git's complaint", async () => {
  git("branch", "taken");
  ws.write("dup.cm", `import { branch } from "std/git"\nworkflow main() -> string {\n  step b = branch(name: "taken")\n  return b\n}`);
  const r = await ws.cmc(["run", "dup.cm", "--json"], { env: GIT_ENV });
  expect(r.code).toBe(1);
  const out = ws.json(r);
  expect(out.error?.step).toBe("b/create");
  expect(out.error?.message).toContain("already exists");
});

it("never reads a ref it is given as an option of git (`--output=…` would write a file)", async () => {
  ws.write(
    "hostile.cm",
    `import { branch, diff } from "std/git"

    workflow main() {
      try {
        step changes = diff(base: "--output=pwned")
      } catch e {
        step onBranch = branch(name: "x", from: "--force")
      }
    }`,
  );
  const r = await ws.cmc(["run", "hostile.cm", "--json"], { env: GIT_ENV });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("invalid reference: --force");
  expect(ws.has("pwned")).toBe(false);
});

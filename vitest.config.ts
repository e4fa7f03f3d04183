import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    pool: "forks",
    // Property tests: a fixed seed, and no shrinking (see the file).
    setupFiles: ["test/helpers/fast-check.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/conformance/**"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Builds dist/ once (when src/ changed) for tests that run the real CLI through bin/cmc.js.
          globalSetup: ["test/helpers/build.ts"],
        },
      },
      {
        // The real agent CLIs against a loopback mock model server (docs/agents.md, "Conformance").
        // Its global setup runs only when one of its files is selected, so other runs install nothing.
        extends: true,
        test: {
          name: "conformance",
          include: ["test/conformance/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          globalSetup: ["test/helpers/build.ts", "test/conformance/harness/global-setup.ts"],
        },
      },
    ],
  },
});

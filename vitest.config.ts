import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Builds dist/ once (when src/ changed) for tests that run the real CLI through bin/cmc.js.
    globalSetup: ["test/helpers/build.ts"],
    // Property tests: a fixed seed, and no shrinking (see the file).
    setupFiles: ["test/helpers/fast-check.ts"],
  },
});

/**
 * Property tests run from a fixed seed so that `npm test` is deterministic: the same inputs on
 * every machine and every run. `FC_SEED=<n>` (or `FC_SEED=random`) explores other inputs; a
 * failure prints the seed and path that reproduce it, and stops at the first counterexample
 * instead of shrinking for minutes.
 */
import fc from "fast-check";

const DEFAULT_SEED = 20261122;

const requested = process.env.FC_SEED;
const seed = requested === "random" ? Date.now() ^ (Math.random() * 0x100000000) : Number(requested ?? DEFAULT_SEED);
if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not ${JSON.stringify(requested)}`);

if (requested === "random") console.log(`fast-check seed: ${seed}`);
fc.configureGlobal({ seed, endOnFailure: true });

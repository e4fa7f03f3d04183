/** Vitest global setup of the conformance project: the real CLIs at their verified versions. */
import { ensureAllInstalled } from "./install.js";

export default async function setup(): Promise<void> {
  await ensureAllInstalled();
}

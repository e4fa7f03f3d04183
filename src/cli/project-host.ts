/**
 * The compiler host of the project in the working folder, for commands that only compile: the
 * config's reader (`project.ts`, and zod, which validates `cmc.json`) is loaded only when the
 * project has a `cmc.json`.
 */
import { findConfig } from "../runtime/config/find.js";
import { nodeHost, type NodeHost } from "./node-host.js";

/**
 * `projectHost(cwd, projectSettings(cwd))`: a host over `cwd` that knows the roles the project's
 * `cmc.json` maps (a bad one is a usage error); without a `cmc.json`, one that maps no role.
 */
export async function compilerHost(cwd: string): Promise<NodeHost> {
  if (findConfig(cwd) === undefined) return nodeHost(cwd, { roles: new Set() });
  const { projectHost, projectSettings } = await import("./project.js");
  return projectHost(cwd, projectSettings(cwd));
}

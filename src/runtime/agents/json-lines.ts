/** Defensive readers for the JSON events CLIs print one a line; formats drift, so nothing is assumed. */
import { stripVTControlCharacters } from "node:util";

export type JsonObject = Readonly<Record<string, unknown>>;

/** The line as a JSON object, or undefined when it is blank, not JSON, or not an object. */
export function parseJsonLine(line: string): JsonObject | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const v: unknown = JSON.parse(trimmed);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** `o[key]` when it is an object. */
export function obj(o: unknown, key: string): JsonObject | undefined {
  if (typeof o !== "object" || o === null) return undefined;
  const v = (o as JsonObject)[key];
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** `o[key]` when it is a string. */
export function str(o: unknown, key: string): string | undefined {
  if (typeof o !== "object" || o === null) return undefined;
  const v = (o as JsonObject)[key];
  return typeof v === "string" ? v : undefined;
}

/** `o[key]` when it is a finite number. */
export function num(o: unknown, key: string): number | undefined {
  if (typeof o !== "object" || o === null) return undefined;
  const v = (o as JsonObject)[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** `o[key]` when it is an array. */
export function arr(o: unknown, key: string): readonly unknown[] | undefined {
  if (typeof o !== "object" || o === null) return undefined;
  const v = (o as JsonObject)[key];
  return Array.isArray(v) ? v : undefined;
}

/**
 * The last `lines` lines of a process's stderr, trimmed, for failure messages: every adapter's
 * message from stderr comes through here, so terminal escape codes (colours) are removed here.
 */
export function stderrTail(stderr: string, lines = 20): string {
  return stripVTControlCharacters(stderr).trimEnd().split("\n").slice(-lines).join("\n").trim();
}

/** Structured output: JSON Schema from a type, validation messages, and JSON found in reply text. */
import { describe, expect, it } from "vitest";
import { extractJson, outputInstruction, outputSchema, validateOutput } from "../../src/runtime/agents/output.js";
import { StepError } from "../../src/runtime/errors.js";
import { T, type Type } from "../../src/compiler/types.js";

const level: Type = { kind: "union", members: [{ kind: "literal", value: "low" }, { kind: "literal", value: "high" }] };
const Task: Type = T.record({
  title: T.string,
  file: T.path,
  count: T.int,
  score: T.float,
  done: T.bool,
  level,
  after: T.duration,
  note: T.optional(T.string),
  extra: T.json,
});

function invalid(type: Type, value: unknown): string {
  try {
    validateOutput(type, value);
  } catch (err) {
    expect(err).toBeInstanceOf(StepError);
    expect((err as StepError).kind).toBe("invalid_output");
    return (err as StepError).message;
  }
  throw new Error("expected invalid_output");
}

describe("outputSchema", () => {
  it("maps every kind of type to JSON Schema, optional record fields as required but nullable", () => {
    const schema = outputSchema(Task);
    expect(schema).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["title", "file", "count", "score", "done", "level", "after", "note", "extra"],
      properties: {
        title: { type: "string" },
        file: { type: "string" },
        count: { type: "integer" },
        score: { type: "number" },
        done: { type: "boolean" },
        level: { type: "string", enum: ["low", "high"] },
        after: { type: "number", description: "a duration in milliseconds" },
        note: { type: ["string", "null"] },
        extra: {},
      },
    });
  });

  it("describes lists and nested records", () => {
    expect(outputSchema(T.list(T.record({ a: T.string })))).toMatchObject({
      type: "array",
      items: { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
    });
  });

  it("writes an instruction that carries the schema", () => {
    const text = outputInstruction(T.record({ a: T.int }));
    expect(text).toMatch(/^Reply with only a JSON object matching this JSON Schema/);
    expect(text).toContain(JSON.stringify(outputSchema(T.record({ a: T.int }))));
  });
});

describe("validateOutput", () => {
  const good = { title: "t", file: "a.ts", count: 2, score: 0.5, done: false, level: "low", after: "20m", extra: [1] };

  it("accepts a matching value, turning durations into milliseconds and absent optional fields into none", () => {
    expect(validateOutput(Task, good)).toEqual({ ...good, after: 1_200_000, note: null });
    expect(validateOutput(Task, { ...good, after: 1500, note: "n" })).toMatchObject({ after: 1500, note: "n" });
  });

  it("drops fields the type does not have", () => {
    expect(validateOutput(T.record({ a: T.int }), { a: 1, chatter: "hi" })).toEqual({ a: 1 });
  });

  it("names the field, the expected type and what came instead", () => {
    expect(invalid(T.record({ tasks: T.list(T.record({ title: T.string })) }), { tasks: [{ title: "a" }, { title: 1 }] })).toBe(
      "reply field `tasks[1].title`: expected string, got number",
    );
    expect(invalid(Task, { ...good, count: 1.5 })).toBe("reply field `count`: expected int, got 1.5");
    expect(invalid(Task, { ...good, level: "mid" })).toBe('reply field `level`: expected "low" | "high", got "mid"');
    expect(invalid(Task, { ...good, after: "soon" })).toBe('reply field `after`: expected duration, got "soon"');
    expect(invalid(T.record({ a: T.list(T.string) }), { a: "x" })).toBe("reply field `a`: expected list<string>, got string");
  });

  it("says when a required field is missing, and how many more problems there are", () => {
    expect(invalid(T.record({ a: T.string, b: T.int }), {})).toBe("reply field `a`: missing, expected string (and 1 more problem)");
  });

  it("refuses an int that JSON could not carry exactly (past ±(2^53 − 1))", () => {
    expect(invalid(T.record({ n: T.int }), { n: JSON.parse("9007199254740993") })).toMatch(/^reply field `n`: expected int, got /);
    expect(validateOutput(T.int, Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("names the reply itself when the whole value has the wrong shape", () => {
    expect(invalid(T.record({ a: T.string }, "Plan"), [1])).toBe("reply: expected Plan, got list");
  });
});

describe("extractJson", () => {
  it("takes the last ```json block of a reply", () => {
    expect(extractJson('First:\n```json\n{"a":1}\n```\nBetter:\n```json\n{"a":2}\n```\nDone.')).toEqual({ a: 2 });
  });

  it("takes the whole text when it is JSON", () => {
    expect(extractJson('  {"a": [1, 2]}\n')).toEqual({ a: [1, 2] });
  });

  it("falls back to a fenced block of another language", () => {
    expect(extractJson("Here:\n```\n[1, 2]\n```")).toEqual([1, 2]);
  });

  it("fails with invalid_output when there is no JSON", () => {
    expect(() => extractJson("I could not do it.")).toThrow(new StepError("invalid_output", "the reply is not JSON: I could not do it."));
  });
});

#!/usr/bin/env node
/**
 * The LangGraph.js peer of the fan-out benchmark: one `Send` per item to a `work` node that answers
 * like cmc's scripted agent (the first reply whose `when` occurs in the prompt), at most 64 at once,
 * results gathered by a reducer, every super-step and task write checkpointed by the SQLite
 * checkpointer into a file.
 *
 *   node bench/peers/langgraph-fanout.js N DB_FILE
 */
import { Annotation, END, Send, START, StateGraph } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";

const n = Number(process.argv[2] ?? 1000);
const db = process.argv[3] ?? ":memory:";
const replies = [{ text: "done", output: { ok: true } }];

const State = Annotation.Root({
  items: Annotation(),
  item: Annotation(),
  results: Annotation({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

function ask(prompt) {
  const reply = replies.find((r) => r.when === undefined || prompt.includes(r.when));
  if (!reply) throw new Error(`no scripted reply for: ${prompt}`);
  return { ok: true, text: reply.text, output: reply.output };
}

const graph = new StateGraph(State)
  .addNode("plan", () => ({}))
  .addNode("work", (s) => ({ results: [ask(`Handle ${s.item}`)] }))
  .addEdge(START, "plan")
  .addConditionalEdges("plan", (s) => s.items.map((item) => new Send("work", { item })))
  .addEdge("work", END)
  .compile({ checkpointer: SqliteSaver.fromConnString(db) });

const items = Array.from({ length: n }, (_, i) => `item-${i}`);
const out = await graph.invoke({ items }, { configurable: { thread_id: "bench" }, maxConcurrency: 64, recursionLimit: 100 });
if (out.results.length !== n) throw new Error(`expected ${n} results, got ${out.results.length}`);
process.stdout.write(`${out.results.length}\n`);

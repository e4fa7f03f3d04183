#!/usr/bin/env node
/**
 * Summarises a `node --cpu-prof` profile: the functions with the most self time (and "(idle)", time
 * the process waited), to read before optimising.
 *
 *   node bench/lib/profile-top.js FILE.cpuprofile [top=25]
 */
import { readFileSync } from "node:fs";

const profile = JSON.parse(readFileSync(process.argv[2], "utf8"));
const top = Number(process.argv[3] ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]);
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules|dist|src)\//, "$1/")}:${f.lineNumber + 1}` : "";
  const key = `${f.functionName || "(anonymous)"} ${where}`.trim();
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`total ${total.toFixed(0)} ms`);
for (const [k, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${k}`);
}

// `--callers NAME`: who calls the functions named NAME (self time by caller chain, 4 frames up).
const ci = process.argv.indexOf("--callers");
if (ci >= 0) {
  const name = process.argv[ci + 1];
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const chains = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    let id = profile.samples[i];
    if (byId.get(id).callFrame.functionName !== name) continue;
    const chain = [];
    for (let d = 0; d < 5 && parent.has(id); d++) {
      id = parent.get(id);
      const f = byId.get(id).callFrame;
      chain.push(`${f.functionName || "(anon)"}:${f.url.split("/").pop()}:${f.lineNumber + 1}`);
    }
    const key = chain.join(" < ");
    chains.set(key, (chains.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  console.log(`\ncallers of ${name}:`);
  for (const [k, ms] of [...chains.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${k}`);
}

// `--by-file`: self time grouped by source file (package for node_modules).
if (process.argv.includes("--by-file")) {
  const files = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const f = byId.get(profile.samples[i]).callFrame;
    const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(f.url);
    const key = m ? m[1] : f.url ? f.url.replace(/^.*\/(dist|src)\//, "$1/").replace(/^node:.*/, "node:*") : f.functionName;
    files.set(key, (files.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  console.log("\nby file:");
  for (const [k, ms] of [...files.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${k}`);
}

// `--inclusive PATTERN`: total (self + callees) time of functions whose file matches PATTERN.
const ii = process.argv.indexOf("--inclusive");
if (ii >= 0) {
  const pattern = new RegExp(process.argv[ii + 1]);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame;
      if (!pattern.test(f.url)) continue;
      const key = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    }
  }
  console.log(`\ninclusive (${pattern}):`);
  for (const [k, ms] of [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${k}`);
}

#!/usr/bin/env node
// Micro-benchmark of @rockit/filter: compiled SQL92 evaluations per second and parse+compile
// throughput, on the built package (`pnpm bench:filter` builds first). Prints one line per case
// and a JSON summary last.
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { compileSql92, compileSubscription, parseTagExpression, matchesTagCode } from '../packages/filter/dist/index.js';

const EXPRESSION = "a > 5 AND b IN ('x','y') AND c IS NOT NULL";
const DURATION_MS = Number(process.env.BENCH_MS ?? 1500);

// Rates are per second of CPU time used by this process (the machine may be shared; wall-clock
// rates are printed beside them).
function measure(label, body) {
  // Warm up so the JIT has settled before the timed run.
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) body(1000);
  let ops = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let now = start;
  while (now - start < DURATION_MS) {
    ops += body(10_000);
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuStart);
  const perCpuSecond = Math.round(ops / ((cpu.user + cpu.system) / 1e6));
  const perWallSecond = Math.round((ops * 1000) / (now - start));
  const f = (n) => n.toLocaleString('en-US').padStart(14);
  console.log(`${label.padEnd(58)} ${f(perCpuSecond)} /cpu-s ${f(perWallSecond)} /s`);
  return perCpuSecond;
}

const compiled = compileSql92(EXPRESSION);
// A mix of messages: matching, failing each clause, and one whose `a` is not a number.
const messages = [
  new Map([['a', '10'], ['b', 'x'], ['c', '1'], ['TAGS', 'TagA']]),
  new Map([['a', '3'], ['b', 'x'], ['c', '1']]),
  new Map([['a', '7'], ['b', 'z'], ['c', '1']]),
  new Map([['a', '8'], ['b', 'y']]),
  new Map([['a', '12'], ['b', 'y'], ['c', 'q'], ['KEYS', 'k1']]),
  new Map([['b', 'x'], ['c', '1']]),
  new Map([['a', '9'], ['b', 'x'], ['c', '2']]),
  new Map([['a', '6'], ['b', 'y'], ['c', '3']]),
];
let sink = 0;

const evaluations = measure(`evaluate "${EXPRESSION}"`, (n) => {
  for (let i = 0; i < n; i++) if (compiled.evaluate(messages[i & 7])) sink++;
  return n;
});

const records = messages.map((m) => Object.fromEntries(m));
const recordEvaluations = measure('evaluate, properties as a plain object', (n) => {
  for (let i = 0; i < n; i++) if (compiled.evaluate(records[i & 7])) sink++;
  return n;
});

// 1,000 distinct expressions: every call lexes, parses, checks and compiles.
const expressions = Array.from({ length: 1000 }, (_, i) => `a > ${i} AND b IN ('x','y${i}') AND c IS NOT NULL`);
let next = 0;
const compiles = measure('parse + compile', (n) => {
  const count = Math.min(n, 1000); // a slow machine still samples the clock often
  for (let i = 0; i < count; i++) {
    sink += compileSql92(expressions[next], { cache: false }).expression.length;
    next = next === 999 ? 0 : next + 1;
  }
  return count;
});
const cachedCompiles = measure('compileSql92 of a cached expression', (n) => {
  for (let i = 0; i < n; i++) sink += compileSql92(expressions[i & 31]).expression.length;
  return n;
});

const tags = compileSubscription('TAG', 'TagA || TagB || TagC');
const codes = [2598919, 2598920, 0, 12345, 2598921, -1];
const tagChecks = measure('TAG isMatchedByConsumeQueue', (n) => {
  for (let i = 0; i < n; i++) if (tags.isMatchedByConsumeQueue(codes[i % 6])) sink++;
  return n;
});

const tagParses = measure('parseTagExpression', (n) => {
  const count = Math.min(n, 2000);
  for (let i = 0; i < count; i++) if (matchesTagCode(parseTagExpression('TagA || TagB'), 2598919)) sink++;
  return count;
});

console.log(
  JSON.stringify({ node: process.version, expression: EXPRESSION, evaluations, recordEvaluations, compiles, cachedCompiles, tagChecks, tagParses, sink: sink > 0 }),
);

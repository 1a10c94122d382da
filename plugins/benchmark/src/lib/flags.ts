import { Flags } from '@oclif/core';

/** Flags every `rockit bench` command has: how long, where, and what to do with the report. */
export const runFlags = {
  duration: Flags.string({ char: 'd', summary: 'How long to measure: seconds, or with a unit (500ms, 30s, 2m) [default: 10s unless --count].' }),
  count: Flags.integer({ summary: 'Stop after this many measured messages instead of after --duration.', min: 1 }),
  warmup: Flags.string({ summary: 'Run this long before measuring (seconds or with a unit); warm-up results are counted apart.', default: '0' }),
  interval: Flags.string({ summary: 'Seconds between live lines and report points.', default: '1' }),
  start: Flags.boolean({ summary: 'Start a cluster for the run (rockit cluster start processes in a temp dir), stop it afterwards.' }),
  brokers: Flags.integer({ summary: 'With --start: number of brokers.', default: 1, min: 1, max: 16 }),
  flush: Flags.string({ summary: 'With --start: flushDiskType of the brokers.', options: ['sync', 'async'], default: 'async' }),
  memory: Flags.boolean({ summary: 'With --start: brokers keep messages in memory.' }),
  report: Flags.string({ summary: 'Write the full report (config, environment, intervals, percentiles) as JSON to this file.' }),
  compare: Flags.string({ summary: 'Print the deltas against a baseline report written by --report.' }),
  assert: Flags.string({ summary: "Fail (exit 1) unless this holds, e.g. 'tps>=50000', 'p99<=20ms', 'errors==0' (repeatable).", multiple: true }),
  plot: Flags.string({ summary: 'Draw throughput and latency over time into this .svg or .html file.' }),
  'serialize-type': Flags.string({
    summary: "Header serialization of the clients' requests: JSON (RocketMQ's default) or ROCKETMQ (binary, cheaper for client and broker) [default: $ROCKETMQ_SERIALIZE_TYPE, then JSON].",
    options: ['JSON', 'ROCKETMQ'],
  }),
};

/** Flags of the commands that send (produce, e2e, tx). */
export const sendFlags = {
  topic: Flags.string({ char: 't', summary: 'Topic to send to.', default: 'BenchTopic' }),
  concurrency: Flags.integer({ char: 'w', summary: 'Sends in flight (RocketMQ benchmark threads).', default: 64, min: 1 }),
  size: Flags.integer({ char: 's', summary: 'Message body size in bytes.', default: 128, min: 1 }),
  tags: Flags.string({ summary: 'Tags to put on messages, comma-separated, used in turn.' }),
  keys: Flags.boolean({ summary: 'Give every message a unique key (the broker indexes keys).' }),
  rate: Flags.integer({ summary: 'Cap on messages per second over all producers; 0: as fast as possible.', default: 0, min: 0 }),
  producers: Flags.integer({ summary: 'Producer client instances (each its own connections).', default: 1, min: 1 }),
  workers: Flags.integer({ summary: 'Worker threads generating load, each with its own producers (0: this thread).', default: 0, min: 0, max: 64 }),
};

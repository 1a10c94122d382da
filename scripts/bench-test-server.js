#!/usr/bin/env node
// rockit bench's own test server, for measuring by hand what scripts/bench-rockit-bench.js measures:
//   node scripts/bench-test-server.js                  a rockit broker on a file store (ASYNC_FLUSH, temp dir)
//   node scripts/bench-test-server.js --discard        the discarding front (scripts/discarding-broker.js)
//   node scripts/bench-test-server.js --discard=store  a broker on the discarding store (scripts/discarding-store.js)
// plus `--topic <name>` (repeatable; default BenchTopic). Prints `NAMESRV_ADDR=<addr>` once it serves, then runs
// until SIGINT or SIGTERM. Run `pnpm build` first. Not part of the product: the discard modes exist only here.
import console from 'node:console';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { startEmbeddedCluster } from '../packages/broker/dist/index.js';
import { startDiscardingBroker } from './discarding-broker.js';
import { discardingStoreFactory } from './discarding-store.js';

const { values } = parseArgs({
  options: {
    discard: { type: 'string' },
    topic: { type: 'string', multiple: true, default: ['BenchTopic'] },
    help: { type: 'boolean', short: 'h' },
  },
  // `--discard` alone means the front.
  args: process.argv.slice(2).map((a) => (a === '--discard' ? '--discard=front' : a)),
});
if (values.help) {
  console.log('usage: node scripts/bench-test-server.js [--discard[=front|store]] [--topic <name> ...]');
  process.exit(0);
}
const mode = values.discard ?? 'broker';
const topics = values.topic;
const counter = { puts: 0 };
let server;
if (mode === 'front') server = await startDiscardingBroker({ topics, counter });
else if (mode === 'store') server = await startEmbeddedCluster({ memory: true, topics, storeFactory: discardingStoreFactory(counter) });
else if (mode === 'broker') server = await startEmbeddedCluster({ topics, brokerConfig: { flushDiskType: 'ASYNC_FLUSH' } });
else {
  console.error(`--discard must be front or store (got ${mode})`);
  process.exit(2);
}
console.log(`NAMESRV_ADDR=${server.namesrvAddr}`);
const stop = async () => {
  if (mode !== 'broker') console.log(`discarded ${counter.puts} messages`);
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// A message store for rockit bench's own test server: it acknowledges every put as stored (PUT_OK, with queue
// offsets that advance) and keeps nothing, so a broker built on it costs only the remoting and the send path.
// Used to prove the load generator outruns a real broker (scripts/bench-rockit-bench.js) and by the benchmark
// plugin's tests. Not a product feature: no flag of rockit reaches it.
import { MemoryMessageStore, PutMessageStatus } from '../packages/store/dist/index.js';

/** A BrokerController/startEmbeddedCluster `storeFactory`. `counter.puts` counts the messages discarded. */
export function discardingStoreFactory(counter = { puts: 0 }) {
  return (config) => {
    const inner = new MemoryMessageStore(config);
    const queueOffsets = new Map();
    let physical = 0;
    const discard = (msgs) => {
      const first = msgs[0];
      const key = `${first.topic}@${first.queueId}`;
      const queueOffset = queueOffsets.get(key) ?? 0;
      queueOffsets.set(key, queueOffset + msgs.length);
      const wroteOffset = physical;
      const wroteBytes = msgs.reduce((n, m) => n + (m.body?.length ?? 0) + 100, 0);
      physical += wroteBytes;
      counter.puts += msgs.length;
      return {
        status: PutMessageStatus.PUT_OK,
        appendResult: {
          wroteOffset,
          wroteBytes,
          msgId: `7F00000100002A9F${wroteOffset.toString(16).toUpperCase().padStart(16, '0')}`,
          queueOffset,
          storeTimestamp: Date.now(),
          msgNum: msgs.length,
        },
      };
    };
    return new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'putMessage') return async (msg) => discard([msg]);
        if (prop === 'putMessages') return async (batch) => discard(batch);
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
}

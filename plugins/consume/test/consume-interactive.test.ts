import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, Message, Producer } from '@rockit/client';
import { quietLogger, startCluster, type Cluster } from '../../../test/helpers/cluster.js';
import { buildPlugins } from '../../../test/helpers/plugins.js';
import { choose, KEY, PtyRockit } from '../../../test/helpers/pty.js';
import { RockitProcess } from '../../../test/helpers/rockit-cli.js';

let cluster: Cluster;
let admin: AdminClient;
let producer: Producer;
const sessions: PtyRockit[] = [];

beforeAll(async () => {
  buildPlugins('consume');
  // Every delay level 1 s: a message sent back for a retry returns within seconds.
  cluster = await startCluster({ memory: true, brokerConfig: { messageDelayLevel: Array.from({ length: 18 }, () => '1s').join(' ') } });
  admin = new AdminClient({ namesrvAddr: cluster.namesrvAddr, logger: quietLogger });
  await admin.start();
  producer = new Producer({ namesrvAddr: cluster.namesrvAddr, producerGroup: 'consume_i_producer', logger: quietLogger });
  await producer.start();
  for (const topic of ['ConsumeAsk', 'ConsumeAskCtrlC']) {
    await admin.createOrUpdateTopic(cluster.brokerAddr, { topicName: topic, readQueueNums: 1, writeQueueNums: 1, perm: 6 });
  }
}, 180_000);

afterAll(async () => {
  for (const s of sessions) s.kill();
  await producer?.shutdown();
  await admin?.shutdown();
  await cluster?.stop();
});

function session(args: string[]): PtyRockit {
  const pty = new PtyRockit(['consume', ...args], { NAMESRV_ADDR: cluster.namesrvAddr });
  sessions.push(pty);
  return pty;
}

describe('rockit consume -i (in a terminal)', () => {
  it('asks about each message: retry later brings it back with its reconsume times, ack and skip move on; Ctrl-C leaves cleanly', async () => {
    await producer.send(new Message('ConsumeAsk', 'first'));
    await producer.send(new Message('ConsumeAsk', 'second'));
    const pty = session(['ConsumeAsk', '-g', 'g_ask', '-i', '--from', 'first']);

    await pty.expect(/body\s*: first/);
    await choose(pty, /reconsumed 0 times/, 'retry');
    await pty.expect(/body\s*: second/);
    await choose(pty, /reconsumed 0 times/, 'ack');
    // Sent back to %RETRY%g_ask and delivered again after the delay, with its count.
    await pty.expect(/reconsumeTimes\s*: 1\nbody\s*: first/, 30_000);
    await choose(pty, /reconsumed 1 times/, 'skip');
    await new Promise((r) => setTimeout(r, 500));
    await pty.type(KEY.ctrlC);
    await pty.expect(/3 message\(s\) received \(1 acked, 1 to retry, 1 skipped\); stopped: interrupted/);
    expect(await pty.exited).toBe(0);
    await expect(admin.examineConsumerConnectionInfo('g_ask')).rejects.toThrow();
  }, 60_000);

  it('Ctrl-C at the question leaves the message unacknowledged: the group gets it again', async () => {
    await producer.send(new Message('ConsumeAskCtrlC', 'undecided'));
    const pty = session(['ConsumeAskCtrlC', '-g', 'g_undecided', '-i', '--from', 'first']);
    await pty.expect(/body\s*: undecided/);
    await pty.expect(/reconsumed 0 times/);
    await pty.type(KEY.ctrlC);
    await pty.expect(/1 message\(s\) received \(0 acked, 0 to retry, 0 skipped\); stopped: interrupted/);
    expect(await pty.exited).toBe(0);

    const again = new RockitProcess(['consume', 'ConsumeAskCtrlC', '-g', 'g_undecided', '--max', '1', '--json'], { NAMESRV_ADDR: cluster.namesrvAddr });
    again.child.stdin.end();
    expect((await again.exited).code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ body: 'undecided', reconsumeTimes: 0 });
  }, 60_000);

  it('refuses -i without a terminal, in one line', async () => {
    const p = new RockitProcess(['consume', 'ConsumeAsk', '-g', 'g', '-i'], { NAMESRV_ADDR: cluster.namesrvAddr });
    p.child.stdin.end();
    expect((await p.exited).code).toBe(2);
    expect(p.stderr).toBe('error: -i needs a terminal on stdin to ask about each message\n');
  });
});

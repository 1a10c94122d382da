import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '@rockit/client';
import { aliConsumer, aliMessage, aliProducer, type AliMessage } from '../../../test/helpers/ali-ons.js';
import { quietLogger, startCluster, type Cluster } from '../../../test/helpers/cluster.js';
import { buildPlugins, rockitWithInput } from '../../../test/helpers/plugins.js';
import type { RockitResult } from '../../../test/helpers/rockit-cli.js';

let cluster: Cluster;
let admin: AdminClient;

function rockit(args: string[], input = ''): Promise<RockitResult> {
  return rockitWithInput(args, { NAMESRV_ADDR: cluster.namesrvAddr }, input);
}

beforeAll(async () => {
  buildPlugins('produce', 'consume');
  cluster = await startCluster({ memory: true });
  admin = new AdminClient({ namesrvAddr: cluster.namesrvAddr, logger: quietLogger });
  await admin.start();
  // ali-ons does not create topics: they exist before it starts.
  for (const topic of ['FromRockitCli', 'FromAliOns']) {
    await admin.createOrUpdateTopic(cluster.brokerAddr, { topicName: topic, readQueueNums: 2, writeQueueNums: 2, perm: 6 });
  }
}, 180_000);

afterAll(async () => {
  await admin?.shutdown();
  await cluster?.stop();
});

describe('rockit produce / consume with ali-ons on the other side', () => {
  it('ali-ons receives what rockit produce sent: tags, keys, properties, small and compressed bodies', async () => {
    const big = 'y'.repeat(6000);
    const input = [
      JSON.stringify({ body: 'small text', tag: 'TagA', keys: ['k-1'], properties: { color: 'red' } }),
      JSON.stringify({ body: big, tag: 'TagB', keys: 'k-2 k-3' }),
    ].join('\n');
    const sent = await rockit(['produce', 'FromRockitCli', '--json'], input);
    expect(sent.code).toBe(0);
    const received: AliMessage[] = [];
    const consumer = aliConsumer(cluster.namesrvAddr, 'CID_from_cli');
    consumer.subscribe('FromRockitCli', '*', async (msg) => {
      received.push(msg);
    });
    await consumer.ready();
    try {
      await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    } finally {
      await consumer.close();
    }
    const byTag = new Map(received.map((m) => [m.tags, m]));
    expect(byTag.get('TagA')!.body.toString()).toBe('small text');
    expect(byTag.get('TagA')!.keys).toBe('k-1');
    expect(byTag.get('TagA')!.properties.color).toBe('red');
    expect(byTag.get('TagB')!.body.toString()).toBe(big);
    expect(byTag.get('TagB')!.keys).toBe('k-2 k-3');
  }, 60_000);

  it('rockit consume shows what ali-ons sent, fields equal', async () => {
    const producer = aliProducer(cluster.namesrvAddr, 'PID_to_cli');
    await producer.ready();
    try {
      const msg = aliMessage('FromAliOns', 'TagX', 'from ali-ons', 'ali-key');
      msg.properties.origin = 'ali';
      const result = await producer.send(msg);
      expect(result.sendStatus).toBe('SEND_OK');
      const r = await rockit(['consume', 'FromAliOns', '-g', 'g_from_ali', '--from', 'first', '--max', '1', '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ topic: 'FromAliOns', msgId: result.msgId, tags: 'TagX', keys: ['ali-key'], properties: { origin: 'ali' }, body: 'from ali-ons' });
    } finally {
      await producer.close();
    }
  }, 60_000);
});

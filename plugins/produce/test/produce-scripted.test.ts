import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '@rockit/client';
import { quietLogger, startCluster, type Cluster } from '../../../test/helpers/cluster.js';
import { buildPlugins, rockitWithInput } from '../../../test/helpers/plugins.js';
import type { RockitResult } from '../../../test/helpers/rockit-cli.js';

let cluster: Cluster;
let admin: AdminClient;
let dir: string;

function rockit(args: string[], input = ''): Promise<RockitResult> {
  return rockitWithInput(args, { NAMESRV_ADDR: cluster.namesrvAddr }, input);
}

interface Line {
  index: number;
  status: string;
  msgId?: string;
  offsetMsgId?: string;
  brokerName?: string;
  queueId?: number;
  queueOffset?: number;
  error?: string;
  code?: number;
}

const jsonLines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

beforeAll(async () => {
  buildPlugins('produce');
  // Topics exist only when created: a send to an unknown topic must fail and be reported.
  cluster = await startCluster({ memory: true, brokerConfig: { autoCreateTopicEnable: false } });
  admin = new AdminClient({ namesrvAddr: cluster.namesrvAddr, logger: quietLogger });
  await admin.start();
  for (const topic of ['ProduceText', 'ProduceLines', 'ProduceFile', 'ProduceOneway']) {
    await admin.createOrUpdateTopic(cluster.brokerAddr, { topicName: topic, readQueueNums: 4, writeQueueNums: 4, perm: 6 });
  }
  dir = mkdtempSync(join(tmpdir(), 'rockit-produce-'));
}, 180_000);

afterAll(async () => {
  await admin?.shutdown();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('rockit produce <topic> --body', () => {
  it('sends one message with tag, keys and properties and prints its SendResult as a table', async () => {
    const r = await rockit(['produce', 'ProduceText', '--body', 'hello rockit', '--tag', 'TagA', '--keys', 'order-1 order-2', '-p', 'a=1', '-p', 'region=eu=west']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, row, ...rest] = r.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual(['#', 'Status', 'MsgId', 'Broker', 'Queue', 'Offset']);
    expect(rest).toEqual([]);
    const [, status, msgId, broker] = row!.trim().split(/\s+/);
    expect(status).toBe('SEND_OK');
    expect(broker).toBe('broker-a');
    const [stored] = await admin.queryMessageByUniqKey('ProduceText', msgId!);
    expect(stored!.body.toString()).toBe('hello rockit');
    expect(stored!.tags).toBe('TagA');
    expect(stored!.keys).toEqual(['order-1', 'order-2']);
    expect(Object.fromEntries(stored!.userProperties())).toEqual({ a: '1', region: 'eu=west' });
  });

  it('repeats with --count in async mode and reports one JSON line per send', async () => {
    const r = await rockit(['produce', 'ProduceText', '--body', 'tick', '--count', '5', '--rate', '50', '--mode', 'async', '--json']);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.index).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(lines.map((l) => l.status))).toEqual(new Set(['SEND_OK']));
    expect(new Set(lines.map((l) => l.msgId)).size).toBe(5);
    for (const l of lines) expect(l.offsetMsgId).toMatch(/^[0-9A-F]{32}$/);
  });

  it('sends oneway without waiting for a SendResult', async () => {
    const r = await rockit(['produce', 'ProduceOneway', '--body', 'fire and forget', '--mode', 'oneway', '--json']);
    expect(r.code).toBe(0);
    const [line] = jsonLines(r.stdout);
    expect(line!.status).toBe('ONEWAY');
    await expect.poll(async () => (await admin.queryMessageByUniqKey('ProduceOneway', line!.msgId!)).map((m) => m.body.toString()), { timeout: 10_000 }).toEqual(['fire and forget']);
  });

  it('exits 1 and explains the failure when the topic does not exist', async () => {
    const r = await rockit(['produce', 'NoSuchTopic', '--body', 'x', '--count', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout, r.stderr).toMatch(/FAILED/);
    expect(r.stderr).toMatch(/^error: 2 of 2 sends failed: 2 × .*NoSuchTopic/m);
  });
});

describe('rockit produce <topic> --file', () => {
  it('sends the file bytes as they are, compressed on the wire above 4 KiB and equal when read back', async () => {
    const body = Buffer.alloc(6000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) % 256;
    const file = join(dir, 'body.bin');
    writeFileSync(file, body);
    const r = await rockit(['produce', 'ProduceFile', '--file', file, '--tag', 'bin', '--json']);
    expect(r.code).toBe(0);
    const [line] = jsonLines(r.stdout);
    const stored = await admin.viewMessage(line!.offsetMsgId!);
    expect(stored.tags).toBe('bin');
    expect(Buffer.compare(stored.body, body)).toBe(0);
  });
});

describe('rockit produce <topic> with JSON lines on stdin', () => {
  it('sends each line with its fields, flags as defaults; same sharding key, same queue', async () => {
    const input = [
      { body: 'o1', shardingKey: 'order-7', keys: ['order-7'] },
      { body: 'o2', shardingKey: 'order-7', tag: 'TagB', properties: { step: 2 } },
      { body: 'o3', shardingKey: 'order-7' },
      { body: 'late', delayLevel: 1 },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const r = await rockit(['produce', 'ProduceLines', '--tag', 'TagA', '-p', 'source=stdin', '--json'], `${input}\n\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.status)).toEqual(['SEND_OK', 'SEND_OK', 'SEND_OK', 'SEND_OK']);
    expect(new Set(lines.slice(0, 3).map((l) => l.queueId)).size).toBe(1);
    expect(lines.slice(0, 3).map((l) => l.queueOffset)).toEqual([...lines.slice(0, 3).map((l) => l.queueOffset)].sort((a, b) => a! - b!));
    const second = await admin.viewMessage(lines[1]!.offsetMsgId!);
    expect(second.tags).toBe('TagB');
    expect(Object.fromEntries(second.userProperties())).toEqual({ source: 'stdin', step: '2' });
    const first = await admin.viewMessage(lines[0]!.offsetMsgId!);
    expect(first.tags).toBe('TagA');
    expect(first.keys).toEqual(['order-7']);
    const delayed = await admin.viewMessage(lines[3]!.offsetMsgId!);
    expect(delayed.delayTimeLevel).toBe(1);
  });

  it('counts bad lines and refused messages as failures, sends the rest, and exits 1', async () => {
    const input = ['{"body":"ok 1"}', 'not json', '{"body":"reserved","properties":{"UNIQ_KEY":"x"}}', '{"bogus":1}', '{"body":"ok 2"}'].join('\n');
    const r = await rockit(['produce', 'ProduceLines', '--json'], input);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.status)).toEqual(['SEND_OK', 'FAILED', 'FAILED', 'FAILED', 'SEND_OK']);
    expect(lines[1]!.error).toMatch(/^line 2: not JSON/);
    expect(lines[2]!.error).toMatch(/^line 3: .*UNIQ_KEY.*used by system/);
    expect(lines[3]!.error).toBe('line 4: unknown field(s) bogus');
    expect(r.stderr).toMatch(/^error: 3 of 5 sends failed: 1 × line 2: not JSON.*; 1 × line 3: .*; 1 × line 4: unknown field\(s\) bogus\n$/);
  });

  it('refuses to start a session without a terminal when there is no topic', async () => {
    const r = await rockit(['produce'], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: missing topic/);
  });
});

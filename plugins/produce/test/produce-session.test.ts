import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '@rockit/client';
import { quietLogger, startCluster, type Cluster } from '../../../test/helpers/cluster.js';
import { buildPlugins } from '../../../test/helpers/plugins.js';
import { choose, KEY, PtyRockit } from '../../../test/helpers/pty.js';

let cluster: Cluster;
let admin: AdminClient;
let dir: string;
const sessions: PtyRockit[] = [];

beforeAll(async () => {
  buildPlugins('produce');
  // The broker checks back on an UNKNOW transaction after a second instead of a minute.
  cluster = await startCluster({ memory: true, brokerConfig: { transactionTimeOut: 1000, transactionCheckInterval: 1000 } });
  admin = new AdminClient({ namesrvAddr: cluster.namesrvAddr, logger: quietLogger });
  await admin.start();
  for (const topic of ['SessionTopic', 'OtherTopic']) {
    await admin.createOrUpdateTopic(cluster.brokerAddr, { topicName: topic, readQueueNums: 4, writeQueueNums: 4, perm: 6 });
  }
  dir = mkdtempSync(join(tmpdir(), 'rockit-produce-session-'));
}, 180_000);

afterAll(async () => {
  for (const s of sessions) s.kill();
  await admin?.shutdown();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function stored(topic: string, msgId: string) {
  let found: Awaited<ReturnType<AdminClient['queryMessageByUniqKey']>> = [];
  await expect.poll(async () => (found = await admin.queryMessageByUniqKey(topic, msgId)).length, { timeout: 15_000 }).toBe(1);
  return found[0]!;
}

describe('rockit produce (interactive session in a terminal)', () => {
  it('picks a topic, composes and sends, repeats, uses $EDITOR, orders by key, runs a transaction with check-back, shows history, ends on Ctrl-C', async () => {
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "written in the editor\\n" > "$1"\n');
    chmodSync(editor, 0o755);
    const pty = new PtyRockit(['produce'], { NAMESRV_ADDR: cluster.namesrvAddr, EDITOR: editor });
    sessions.push(pty);

    await choose(pty, /Topic/, 'Sess');
    await choose(pty, /Body/, 'type');
    await pty.answer(/Body text/, `hello session${KEY.enter}`);
    await pty.answer(/Tag \(empty for none\)/, `TagS${KEY.enter}`);
    await pty.answer(/Keys/, `k1 k2${KEY.enter}`);
    await pty.answer(/Properties/, `a=1, b=two${KEY.enter}`);
    await choose(pty, /Send mode/, 'sync');
    await pty.expect(/status\s*: SEND_OK/);
    const first = (await pty.expect(/msgId\s*: ([0-9A-F]{32})/))[1]!;

    await choose(pty, /Next/, 'repeat');
    const repeated = (await pty.expect(/msgId\s*: ([0-9A-F]{32})/))[1]!;
    expect(repeated).not.toBe(first);

    await choose(pty, /Next/, 'new');
    await choose(pty, /Body/, 'edit');
    await pty.answer(/Press <enter> to launch your preferred editor/, KEY.enter);
    await pty.answer(/Tag \(empty for none\)/, KEY.enter);
    await pty.answer(/Keys/, KEY.enter);
    await pty.answer(/Properties/, KEY.enter);
    await choose(pty, /Send mode/, 'ordered');
    await pty.answer(/Sharding key/, `order-9${KEY.enter}`);
    const ordered = (await pty.expect(/msgId\s*: ([0-9A-F]{32})/))[1]!;

    await choose(pty, /Next/, 'new');
    await choose(pty, /Body/, 'type');
    await pty.answer(/Body text/, `tx body${KEY.enter}`);
    await pty.answer(/Tag \(empty for none\)/, KEY.enter);
    await pty.answer(/Keys/, KEY.enter);
    await pty.answer(/Properties/, KEY.enter);
    await choose(pty, /Send mode/, 'trans');
    await choose(pty, /Local transaction outcome/, 'unknown, commit');
    const tx = (await pty.expect(/msgId\s*: ([0-9A-F]{32})/))[1]!;
    await pty.expect(/localTransactionState\s*: UNKNOW/);
    await pty.expect(new RegExp(`check-back for ${tx}: answered COMMIT_MESSAGE`), 30_000);

    // The Next prompt was drawn before the check-back line.
    await choose(pty, undefined, 'hist');
    const history = await pty.expect(/#\s+Time\s+Topic\s+Mode[^\n]*\n((?:[^\n]*\n){4})/);
    const rows = history[1]!.trim().split('\n');
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual(['1', '2', '3', '4']);
    expect(rows[2]).toMatch(/ordered by key order-9/);
    expect(rows[3]).toMatch(/transactional, unknown-commit/);

    await pty.expect(/Next/);
    await pty.type(KEY.ctrlC);
    await pty.expect(/4 sent in this session/);
    expect(await pty.exited).toBe(0);

    const m1 = await stored('SessionTopic', first);
    expect(m1.body.toString()).toBe('hello session');
    expect(m1.tags).toBe('TagS');
    expect(m1.keys).toEqual(['k1', 'k2']);
    expect(Object.fromEntries(m1.userProperties())).toEqual({ a: '1', b: 'two' });
    expect((await stored('SessionTopic', repeated)).body.toString()).toBe('hello session');
    expect((await stored('SessionTopic', ordered)).body.toString()).toBe('written in the editor');
    // Committed on the broker's check-back: the message reached the topic.
    expect((await stored('SessionTopic', tx)).body.toString()).toBe('tx body');
  }, 90_000);

  it('starts on the topic given as argument, sends async and delayed, changes topic, quits', async () => {
    const pty = new PtyRockit(['produce', 'SessionTopic'], { NAMESRV_ADDR: cluster.namesrvAddr });
    sessions.push(pty);
    const compose = async (body: string) => {
      await choose(pty, /Body/, 'type');
      await pty.answer(/Body text/, `${body}${KEY.enter}`);
      await pty.answer(/Tag \(empty for none\)/, KEY.enter);
      await pty.answer(/Keys/, KEY.enter);
      await pty.answer(/Properties/, KEY.enter);
    };
    await compose('async one');
    await choose(pty, /Send mode/, 'async');
    await pty.expect(/status\s*: SEND_OK/);
    const asyncId = (await pty.expect(/msgId\s*: ([0-9A-F]{32})/))[1]!;

    await choose(pty, /Next/, 'change');
    await choose(pty, /Topic/, 'Other');
    await choose(pty, /Next/, 'new');
    await compose('delayed one');
    await choose(pty, /Send mode/, 'delayed');
    await pty.answer(/Delay level \(1\.\.18/, `1${KEY.enter}`);
    await pty.expect(/status\s*: SEND_OK/);
    const delayedId = (await pty.expect(/msgId\s*: ([0-9A-F]{32})/))[1]!;
    await pty.expect(/topic\s*: OtherTopic/);

    await choose(pty, /Next/, 'quit');
    await pty.expect(/2 sent in this session/);
    expect(await pty.exited).toBe(0);
    expect((await stored('SessionTopic', asyncId)).body.toString()).toBe('async one');
    // Delivered to OtherTopic by the schedule service after its delay level.
    const delayed = await stored('OtherTopic', delayedId);
    expect(delayed.body.toString()).toBe('delayed one');
    expect(delayed.delayTimeLevel).toBe(1);
  }, 60_000);

  it('refuses --json in a session and says why in one line', async () => {
    const pty = new PtyRockit(['produce', 'SessionTopic', '--json'], { NAMESRV_ADDR: cluster.namesrvAddr });
    sessions.push(pty);
    expect(await pty.exited).toBe(2);
    expect(pty.text).toMatch(/--json applies to scripted sends/);
  });
});

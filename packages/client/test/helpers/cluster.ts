/** A real name server + broker(s) for the client's tests, and small raw-protocol probes to check what was stored. */
import { afterEach } from 'vitest';
import { decodeMessage, decodeOffsetMessageId, type MessageExt } from '@rockit/common';
import { RemotingClient, RemotingCommand, RequestCode, ViewMessageRequestHeader, encodeHeader } from '@rockit/remoting';
import { createTopic, eventually } from '../../../../test/helpers/admin.js';
import { quietLogger, startCluster, type Cluster, type ClusterOptions } from '../../../../test/helpers/cluster.js';

export { createTopic, eventually, quietLogger, startCluster, type Cluster, type ClusterOptions };

/** The stored message an offset message id points at (VIEW_MESSAGE_BY_ID), body as stored (not inflated). */
export async function viewMessage(offsetMsgId: string): Promise<MessageExt> {
  const { address, port, commitLogOffset } = decodeOffsetMessageId(offsetMsgId);
  const client = new RemotingClient({ logger: quietLogger });
  try {
    const request = RemotingCommand.createRequest(RequestCode.VIEW_MESSAGE_BY_ID, encodeHeader({ offset: commitLogOffset }, ViewMessageRequestHeader));
    const response = await client.invokeSync(`${address}:${port}`, request, 5000);
    if (response.code !== 0 || !response.body) throw new Error(`VIEW_MESSAGE_BY_ID: ${response.code} ${response.remark}`);
    return decodeMessage(response.body, 0, { decompress: false, copyBody: true });
  } finally {
    await client.close();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const cleanups: (() => Promise<unknown>)[] = [];

/** Runs `fn` when the current test ends, the latest registered first; failures there are ignored. */
export function afterTest(fn: () => Promise<unknown>): void {
  cleanups.push(fn);
}

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

/** A cluster stopped (and its files removed) when the current test ends, after everything registered later. */
export async function startTestCluster(options?: ClusterOptions): Promise<Cluster> {
  const cluster = await startCluster(options);
  afterTest(() => cluster.stop());
  return cluster;
}

/** A real name server + broker(s) for the client's tests, and small raw-protocol probes to check what was stored. */
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

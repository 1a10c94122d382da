/** Small admin calls the end-to-end tests need, over a real RemotingClient. */
import { RemotingClient, RemotingCommand, RequestCode, encodeHeader, CreateTopicRequestHeader } from '@rockit/remoting';
import { quietLogger } from './cluster.js';

export async function createTopic(brokerAddr: string, topic: string, queueNums = 4, namesrvAddr?: string): Promise<void> {
  const client = new RemotingClient({ logger: quietLogger });
  try {
    const header = encodeHeader(
      { topic, defaultTopic: 'TBW102', readQueueNums: queueNums, writeQueueNums: queueNums, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false },
      CreateTopicRequestHeader,
    );
    const response = await client.invokeSync(brokerAddr, RemotingCommand.createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, header), 5000);
    if (response.code !== 0) throw new Error(`UPDATE_AND_CREATE_TOPIC ${topic}: ${response.code} ${response.remark}`);
    if (namesrvAddr !== undefined) await waitForRoute(client, namesrvAddr, topic);
  } finally {
    await client.close();
  }
}

/** Polls GET_ROUTEINFO_BY_TOPIC until the name server knows `topic`. */
export async function waitForRoute(client: RemotingClient, namesrvAddr: string, topic: string, timeoutMillis = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const response = await client.invokeSync(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3000);
    if (response.code === 0) return;
    if (Date.now() > deadline) throw new Error(`no route for ${topic} after ${timeoutMillis} ms (code ${response.code})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves when `check()` is true, polling every 20 ms; rejects with `what` after `timeoutMillis`. */
export async function eventually(check: () => boolean, what: string, timeoutMillis = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

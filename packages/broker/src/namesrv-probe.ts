/**
 * Asks name servers which brokers they know (GET_BROKER_CLUSTER_INFO) and which brokers serve a topic
 * (GET_ROUTEINFO_BY_TOPIC): how a cluster launcher learns that its brokers are registered and routable.
 */
import { createLogger, parseFastJson, type Logger } from '@rockit/common';
import { RemotingClient, RemotingCommand, RequestCode, ResponseCode } from '@rockit/remoting';

export interface RegisteredBroker {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  addr: string;
}

type Json = ReturnType<typeof parseFastJson>;

function entries(value: Json | undefined): Array<[string, Json]> {
  if (value instanceof Map) return [...value].map(([k, v]) => [String(k), v as Json]);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value as Record<string, Json>);
  return [];
}

/** The brokers in a ClusterInfo body (fastjson-native: `brokerAddrs` keyed by bare numbers). */
export function parseClusterInfoBrokers(body: Buffer): RegisteredBroker[] {
  const info = parseFastJson(body.toString('utf8')) as Record<string, Json>;
  const out: RegisteredBroker[] = [];
  for (const [brokerName, data] of entries(info.brokerAddrTable)) {
    const fields = Object.fromEntries(entries(data));
    for (const [id, addr] of entries(fields.brokerAddrs)) {
      out.push({ clusterName: String(fields.cluster ?? ''), brokerName, brokerId: Number(id), addr: String(addr) });
    }
  }
  return out.sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.brokerId - b.brokerId);
}

export class NamesrvProbe {
  private readonly client: RemotingClient;

  constructor(
    private readonly timeoutMillis = 3000,
    logger: Logger = createLogger('NamesrvProbe', { level: 'silent' }),
  ) {
    this.client = new RemotingClient({ logger, connectTimeoutMillis: timeoutMillis, defaultTimeoutMillis: timeoutMillis });
  }

  /** Every broker address the name server at `namesrvAddr` has registered; rejects when it does not answer. */
  async brokers(namesrvAddr: string): Promise<RegisteredBroker[]> {
    const response = await this.client.invokeSync(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), this.timeoutMillis);
    if (response.code !== ResponseCode.SUCCESS) throw new Error(`GET_BROKER_CLUSTER_INFO from ${namesrvAddr}: code ${response.code} ${response.remark ?? ''}`);
    return response.body ? parseClusterInfoBrokers(response.body) : [];
  }

  /** Names of the brokers serving `topic` according to `namesrvAddr` ([] when the topic has no route). */
  async routeBrokerNames(namesrvAddr: string, topic: string): Promise<string[]> {
    const response = await this.client.invokeSync(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), this.timeoutMillis);
    if (response.code === ResponseCode.TOPIC_NOT_EXIST) return [];
    if (response.code !== ResponseCode.SUCCESS) throw new Error(`GET_ROUTEINFO_BY_TOPIC ${topic} from ${namesrvAddr}: code ${response.code} ${response.remark ?? ''}`);
    const route = parseFastJson(response.body!.toString('utf8')) as { brokerDatas?: Array<{ brokerName: string }> };
    return (route.brokerDatas ?? []).map((b) => b.brokerName).sort();
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

import { MixAll, type AdminClient, type BrokerStatsData } from '@rockit/client/admin';

/** One statsAll line: a topic and one group consuming it (or `group` undefined: nobody consumes it). */
export interface TopicGroupStats {
  topic: string;
  group?: string;
  accumulation: number;
  inTps: number;
  outTps?: number;
  inMsg24Hour: number;
  outMsg24Hour?: number;
}

export interface StatsAllOptions {
  /** Only topics (and groups) with traffic in the last 24 h (-a). */
  activeOnly?: boolean;
  /** Only this topic (-t). */
  topic?: string;
}

/** The day's sum, or failing that the hour's, or the minute's (a broker up for less than a day has no day window yet). */
export function sum24Hour(data: BrokerStatsData): number {
  return data.statsDay.sum || data.statsHour.sum || data.statsMinute.sum;
}

/** Minute tps and 24 h sum of one stats item over the topic's masters; a broker that never counted it adds 0. */
async function overMasters(admin: AdminClient, masters: readonly string[], statsName: string, statsKey: string): Promise<{ tps: number; sum: number }> {
  let tps = 0;
  let sum = 0;
  for (const addr of masters) {
    const data = await admin.viewBrokerStatsData(addr, statsName, statsKey).catch(() => undefined);
    if (data === undefined) continue;
    tps += data.statsMinute.tps;
    sum += sum24Hour(data);
  }
  return { tps, sum };
}

/** statsAll for one topic: its put rate, and per consuming group the get rate and lag. */
async function topicStats(admin: AdminClient, topic: string, activeOnly: boolean): Promise<TopicGroupStats[]> {
  const route = await admin.getTopicRoute(topic);
  const masters = (route?.brokerDatas ?? []).map((b) => b.brokerAddrs.get(MixAll.MASTER_ID)).filter((a): a is string => a !== undefined);
  const groups = await admin.queryTopicConsumeByWho(topic);
  const put = await overMasters(admin, masters, 'TOPIC_PUT_NUMS', topic);
  if (groups.length === 0) {
    return activeOnly && put.sum === 0 ? [] : [{ topic, accumulation: 0, inTps: put.tps, inMsg24Hour: put.sum }];
  }
  const rows: TopicGroupStats[] = [];
  for (const group of groups) {
    const got = await overMasters(admin, masters, 'GROUP_GET_NUMS', `${topic}@${group}`);
    const consumeStats = await admin.examineConsumeStats(group, topic).catch(() => undefined);
    const accumulation = Math.max(0, consumeStats?.diffTotal ?? 0);
    if (activeOnly && put.sum === 0 && got.sum === 0) continue;
    rows.push({ topic, group, accumulation, inTps: put.tps, outTps: got.tps, inMsg24Hour: put.sum, outMsg24Hour: got.sum });
  }
  return rows;
}

/** mqadmin statsAll: every topic but retry and dead-letter ones, as listed by the name server. */
export async function statsAll(admin: AdminClient, options: StatsAllOptions = {}): Promise<TopicGroupStats[]> {
  const rows: TopicGroupStats[] = [];
  for (const topic of await admin.getTopicList()) {
    if (topic.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(MixAll.DLQ_GROUP_TOPIC_PREFIX)) continue;
    if (options.topic && topic !== options.topic) continue;
    // As mqadmin: a topic whose route or groups cannot be read is left out rather than failing the listing.
    rows.push(...(await topicStats(admin, topic, options.activeOnly ?? false).catch(() => [])));
  }
  return rows;
}

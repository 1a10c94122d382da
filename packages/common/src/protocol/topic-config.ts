/** RocketMQ `TopicConfig` (protocol §5.4), as brokers persist it and announce it to name servers. */

export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG';
export const TOPIC_FILTER_TYPES: readonly TopicFilterType[] = ['SINGLE_TAG', 'MULTI_TAG'];

/** JSON property names are these field names. */
export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType;
  topicSysFlag: number;
  order: boolean;
  /** 5.x topic attributes (e.g. `message.type`); absent from 4.9.x brokers. */
  attributes?: Record<string, string>;
}

/** `new TopicConfig(topicName)`: 16 read and write queues, perm RW. */
export function newTopicConfig(topicName: string, fields: Partial<Omit<TopicConfig, 'topicName'>> = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: 16,
    writeQueueNums: 16,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    ...fields,
  };
}

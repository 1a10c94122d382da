/**
 * Topic routes as the name server hands them out (GET_ROUTEINFO_BY_TOPIC, protocol §5.1): the name server
 * encodes them, clients and admin tools decode them.
 */

/** One broker name's queues for one topic (RocketMQ `QueueData`). */
export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicSysFlag: number;
}

/** A broker group (RocketMQ `BrokerData`). */
export interface BrokerData {
  cluster: string;
  brokerName: string;
  /** brokerId (0 = master) -> "ip:port". */
  brokerAddrs: Map<number, string>;
}

/** RocketMQ `TopicRouteData`. */
export interface TopicRouteData {
  /** `brokerName:queueNum;...`, only when the name server runs with orderMessageEnable. */
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
  /** brokerAddr -> filter server addresses (obsolete feature, normally empty; clients ignore it). */
  filterServerTable?: Map<string, string[]>;
}

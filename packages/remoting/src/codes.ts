/**
 * RocketMQ's code tables as data: request codes (rocketmq-protocol.md §4.1), response codes (§3),
 * LanguageCode (§2.6) and MQVersion ordinals. Names are RocketMQ's own.
 */

/** Request codes. 4.9.x baseline plus the named 5.x additions. */
export const RequestCode = {
  SEND_MESSAGE: 10,
  PULL_MESSAGE: 11,
  QUERY_MESSAGE: 12,
  QUERY_BROKER_OFFSET: 13,
  QUERY_CONSUMER_OFFSET: 14,
  UPDATE_CONSUMER_OFFSET: 15,
  UPDATE_AND_CREATE_TOPIC: 17,
  UPDATE_AND_CREATE_TOPIC_LIST: 18,
  GET_ALL_TOPIC_CONFIG: 21,
  GET_TOPIC_CONFIG_LIST: 22,
  GET_TOPIC_NAME_LIST: 23,
  UPDATE_BROKER_CONFIG: 25,
  GET_BROKER_CONFIG: 26,
  TRIGGER_DELETE_FILES: 27,
  GET_BROKER_RUNTIME_INFO: 28,
  SEARCH_OFFSET_BY_TIMESTAMP: 29,
  GET_MAX_OFFSET: 30,
  GET_MIN_OFFSET: 31,
  GET_EARLIEST_MSG_STORETIME: 32,
  VIEW_MESSAGE_BY_ID: 33,
  HEART_BEAT: 34,
  UNREGISTER_CLIENT: 35,
  CONSUMER_SEND_MSG_BACK: 36,
  END_TRANSACTION: 37,
  GET_CONSUMER_LIST_BY_GROUP: 38,
  CHECK_TRANSACTION_STATE: 39,
  NOTIFY_CONSUMER_IDS_CHANGED: 40,
  LOCK_BATCH_MQ: 41,
  UNLOCK_BATCH_MQ: 42,
  GET_ALL_CONSUMER_OFFSET: 43,
  GET_ALL_DELAY_OFFSET: 45,
  CHECK_CLIENT_CONFIG: 46,
  GET_CLIENT_CONFIG: 47,
  UPDATE_AND_CREATE_ACL_CONFIG: 50,
  DELETE_ACL_CONFIG: 51,
  GET_BROKER_CLUSTER_ACL_INFO: 52,
  UPDATE_GLOBAL_WHITE_ADDRS_CONFIG: 53,
  GET_BROKER_CLUSTER_ACL_CONFIG: 54,
  GET_TIMER_CHECK_POINT: 60,
  GET_TIMER_METRICS: 61,
  PUT_KV_CONFIG: 100,
  GET_KV_CONFIG: 101,
  DELETE_KV_CONFIG: 102,
  REGISTER_BROKER: 103,
  UNREGISTER_BROKER: 104,
  GET_ROUTEINFO_BY_TOPIC: 105,
  GET_BROKER_CLUSTER_INFO: 106,
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: 200,
  GET_ALL_SUBSCRIPTIONGROUP_CONFIG: 201,
  GET_TOPIC_STATS_INFO: 202,
  GET_CONSUMER_CONNECTION_LIST: 203,
  GET_PRODUCER_CONNECTION_LIST: 204,
  WIPE_WRITE_PERM_OF_BROKER: 205,
  GET_ALL_TOPIC_LIST_FROM_NAMESERVER: 206,
  DELETE_SUBSCRIPTIONGROUP: 207,
  GET_CONSUME_STATS: 208,
  SUSPEND_CONSUMER: 209,
  RESUME_CONSUMER: 210,
  RESET_CONSUMER_OFFSET_IN_CONSUMER: 211,
  RESET_CONSUMER_OFFSET_IN_BROKER: 212,
  ADJUST_CONSUMER_THREAD_POOL: 213,
  WHO_CONSUME_THE_MESSAGE: 214,
  DELETE_TOPIC_IN_BROKER: 215,
  DELETE_TOPIC_IN_NAMESRV: 216,
  REGISTER_TOPIC_IN_NAMESRV: 217,
  GET_KVLIST_BY_NAMESPACE: 219,
  RESET_CONSUMER_CLIENT_OFFSET: 220,
  GET_CONSUMER_STATUS_FROM_CLIENT: 221,
  INVOKE_BROKER_TO_RESET_OFFSET: 222,
  INVOKE_BROKER_TO_GET_CONSUMER_STATUS: 223,
  GET_TOPICS_BY_CLUSTER: 224,
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST: 225,
  QUERY_TOPIC_CONSUME_BY_WHO: 300,
  REGISTER_FILTER_SERVER: 301,
  REGISTER_MESSAGE_FILTER_CLASS: 302,
  QUERY_CONSUME_TIME_SPAN: 303,
  GET_SYSTEM_TOPIC_LIST_FROM_NS: 304,
  GET_SYSTEM_TOPIC_LIST_FROM_BROKER: 305,
  CLEAN_EXPIRED_CONSUMEQUEUE: 306,
  GET_CONSUMER_RUNNING_INFO: 307,
  QUERY_CORRECTION_OFFSET: 308,
  CONSUME_MESSAGE_DIRECTLY: 309,
  SEND_MESSAGE_V2: 310,
  GET_UNIT_TOPIC_LIST: 311,
  GET_HAS_UNIT_SUB_TOPIC_LIST: 312,
  GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST: 313,
  CLONE_GROUP_OFFSET: 314,
  VIEW_BROKER_STATS_DATA: 315,
  CLEAN_UNUSED_TOPIC: 316,
  GET_BROKER_CONSUME_STATS: 317,
  UPDATE_NAMESRV_CONFIG: 318,
  GET_NAMESRV_CONFIG: 319,
  SEND_BATCH_MESSAGE: 320,
  QUERY_CONSUME_QUEUE: 321,
  QUERY_DATA_VERSION: 322,
  RESUME_CHECK_HALF_MESSAGE: 323,
  SEND_REPLY_MESSAGE: 324,
  SEND_REPLY_MESSAGE_V2: 325,
  PUSH_REPLY_MESSAGE_TO_CLIENT: 326,
  ADD_WRITE_PERM_OF_BROKER: 327,
  GET_ALL_PRODUCER_INFO: 328,
  DELETE_EXPIRED_COMMITLOG: 329,
  // 5.x only
  QUERY_TOPICS_BY_CONSUMER: 343,
  QUERY_SUBSCRIPTION_BY_CONSUMER: 345,
  GET_TOPIC_CONFIG: 351,
  GET_SUBSCRIPTIONGROUP_CONFIG: 352,
  UPDATE_AND_GET_GROUP_FORBIDDEN: 353,
  CHECK_ROCKSDB_CQ_WRITE_PROGRESS: 354,
  EXPORT_ROCKSDB_CONFIG_TO_JSON: 355,
  LITE_PULL_MESSAGE: 361,
  RECALL_MESSAGE: 370,
  QUERY_ASSIGNMENT: 400,
  SET_MESSAGE_REQUEST_MODE: 401,
  GET_ALL_MESSAGE_REQUEST_MODE: 402,
  UPDATE_AND_CREATE_STATIC_TOPIC: 513,
  GET_BROKER_MEMBER_GROUP: 901,
  ADD_BROKER: 902,
  REMOVE_BROKER: 903,
  BROKER_HEARTBEAT: 904,
  NOTIFY_MIN_BROKER_ID_CHANGE: 905,
  EXCHANGE_BROKER_HA_INFO: 906,
  GET_BROKER_HA_STATUS: 907,
  RESET_MASTER_FLUSH_OFFSET: 908,
  // 5.x controller mode, cold-data flow control, ACL 2.0 (5.3.0+)
  CONTROLLER_ALTER_SYNC_STATE_SET: 1001,
  CONTROLLER_ELECT_MASTER: 1002,
  CONTROLLER_REGISTER_BROKER: 1003,
  CONTROLLER_GET_REPLICA_INFO: 1004,
  CONTROLLER_GET_METADATA_INFO: 1005,
  CONTROLLER_GET_SYNC_STATE_DATA: 1006,
  GET_BROKER_EPOCH_CACHE: 1007,
  NOTIFY_BROKER_ROLE_CHANGED: 1008,
  UPDATE_CONTROLLER_CONFIG: 1009,
  GET_CONTROLLER_CONFIG: 1010,
  CLEAN_BROKER_DATA: 1011,
  CONTROLLER_GET_NEXT_BROKER_ID: 1012,
  CONTROLLER_APPLY_BROKER_ID: 1013,
  BROKER_CLOSE_CHANNEL_REQUEST: 1014,
  CHECK_NOT_ACTIVE_BROKER_REQUEST: 1015,
  GET_BROKER_LIVE_INFO_REQUEST: 1016,
  GET_SYNC_STATE_DATA_REQUEST: 1017,
  RAFT_BROKER_HEART_BEAT_EVENT_REQUEST: 1018,
  UPDATE_COLD_DATA_FLOW_CTR_CONFIG: 2001,
  REMOVE_COLD_DATA_FLOW_CTR_CONFIG: 2002,
  GET_COLD_DATA_FLOW_CTR_INFO: 2003,
  SET_COMMITLOG_READ_MODE: 2004,
  AUTH_CREATE_USER: 3001,
  AUTH_UPDATE_USER: 3002,
  AUTH_DELETE_USER: 3003,
  AUTH_GET_USER: 3004,
  AUTH_LIST_USER: 3005,
  AUTH_CREATE_ACL: 3006,
  AUTH_UPDATE_ACL: 3007,
  AUTH_DELETE_ACL: 3008,
  AUTH_GET_ACL: 3009,
  AUTH_LIST_ACL: 3010,
  POP_MESSAGE: 200050,
  ACK_MESSAGE: 200051,
  PEEK_MESSAGE: 200052,
  CHANGE_MESSAGE_INVISIBLETIME: 200053,
  NOTIFICATION: 200054,
  POLLING_INFO: 200055,
  POP_ROLLBACK: 200056,
  BATCH_ACK_MESSAGE: 200151,
} as const;
export type RequestCodeName = keyof typeof RequestCode;

interface ResponseCodeInfo {
  readonly code: number;
  /** What a user should read when this code comes back. */
  readonly description: string;
}

/** Response codes with a user-facing description each (rocketmq-protocol.md §3). 4.9.x names where values were reused. */
export const ResponseCodeTable = {
  SUCCESS: { code: 0, description: 'success' },
  SYSTEM_ERROR: { code: 1, description: 'the server failed to process the request' },
  SYSTEM_BUSY: { code: 2, description: 'the server is busy (flow control); retry later' },
  REQUEST_CODE_NOT_SUPPORTED: { code: 3, description: 'the server does not support this request code' },
  TRANSACTION_FAILED: { code: 4, description: 'the transaction failed' },
  FLUSH_DISK_TIMEOUT: { code: 10, description: 'message stored but flushing it to disk timed out' },
  SLAVE_NOT_AVAILABLE: { code: 11, description: 'message stored but no slave is available to replicate it' },
  FLUSH_SLAVE_TIMEOUT: { code: 12, description: 'message stored but replicating it to the slave timed out' },
  MESSAGE_ILLEGAL: { code: 13, description: 'the message is illegal (too long or malformed topic, properties or body)' },
  SERVICE_NOT_AVAILABLE: { code: 14, description: 'the service is not available (store not writable, shutting down or a slave)' },
  VERSION_NOT_SUPPORTED: { code: 15, description: 'the client version is not supported' },
  NO_PERMISSION: { code: 16, description: 'no permission for this operation on this topic, group or broker' },
  TOPIC_NOT_EXIST: { code: 17, description: 'the topic does not exist' },
  TOPIC_EXIST_ALREADY: { code: 18, description: 'the topic exists already' },
  PULL_NOT_FOUND: { code: 19, description: 'no new message in this queue' },
  PULL_RETRY_IMMEDIATELY: { code: 20, description: 'no message matched the filter; pull again' },
  PULL_OFFSET_MOVED: { code: 21, description: 'the requested offset is illegal for this queue' },
  QUERY_NOT_FOUND: { code: 22, description: 'nothing found for this query' },
  SUBSCRIPTION_PARSE_FAILED: { code: 23, description: 'the subscription expression could not be parsed' },
  SUBSCRIPTION_NOT_EXIST: { code: 24, description: 'the subscription does not exist' },
  SUBSCRIPTION_NOT_LATEST: { code: 25, description: 'the subscription is not the latest version' },
  SUBSCRIPTION_GROUP_NOT_EXIST: { code: 26, description: 'the subscription group does not exist' },
  FILTER_DATA_NOT_EXIST: { code: 27, description: 'the filter data does not exist' },
  FILTER_DATA_NOT_LATEST: { code: 28, description: 'the filter data is not the latest version' },
  INVALID_PARAMETER: { code: 29, description: 'a request parameter is invalid' },
  TRANSACTION_SHOULD_COMMIT: { code: 200, description: 'the transaction should be committed' },
  TRANSACTION_SHOULD_ROLLBACK: { code: 201, description: 'the transaction should be rolled back' },
  TRANSACTION_STATE_UNKNOW: { code: 202, description: 'the transaction state is unknown' },
  TRANSACTION_STATE_GROUP_WRONG: { code: 203, description: 'the transaction producer group is wrong' },
  NO_BUYER_ID: { code: 204, description: 'no buyer id' },
  NOT_IN_CURRENT_UNIT: { code: 205, description: 'not in the current unit' },
  CONSUMER_NOT_ONLINE: { code: 206, description: 'the consumer is not online' },
  CONSUME_MSG_TIMEOUT: { code: 207, description: 'consuming the message timed out' },
  NO_MESSAGE: { code: 208, description: 'no message' },
  UPDATE_AND_CREATE_ACL_CONFIG_FAILED: { code: 209, description: 'updating the ACL config failed (5.x: POLLING_FULL)' },
  DELETE_ACL_CONFIG_FAILED: { code: 210, description: 'deleting the ACL config failed (5.x: POLLING_TIMEOUT)' },
  UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED: { code: 211, description: 'updating the global white address list failed (5.x: BROKER_NOT_EXIST)' },
  BROKER_DISPATCH_NOT_COMPLETE: { code: 212, description: 'the broker has not finished dispatching' },
  BROADCAST_CONSUMPTION: { code: 213, description: 'the group consumes in broadcasting mode' },
  FLOW_CONTROL: { code: 215, description: 'flow control; back off and retry' },
  NOT_LEADER_FOR_QUEUE: { code: 501, description: 'this broker is not the leader for the queue' },
  ILLEGAL_OPERATION: { code: 604, description: 'illegal operation' },
  RPC_UNKNOWN: { code: -1000, description: 'unknown RPC failure' },
  RPC_ADDR_IS_NULL: { code: -1002, description: 'the RPC address is empty' },
  RPC_SEND_TO_CHANNEL_FAILED: { code: -1004, description: 'sending to the channel failed' },
  RPC_TIME_OUT: { code: -1006, description: 'the RPC timed out' },
  GO_AWAY: { code: 1500, description: 'the server is going away; reconnect elsewhere' },
  USER_NOT_EXIST: { code: 3001, description: 'the user does not exist' },
  POLICY_NOT_EXIST: { code: 3002, description: 'the ACL policy does not exist' },
} as const satisfies Record<string, ResponseCodeInfo>;

export type ResponseCodeName = keyof typeof ResponseCodeTable;

/** Response codes by name, e.g. `ResponseCode.TOPIC_NOT_EXIST === 17`. */
export const ResponseCode = Object.fromEntries(
  Object.entries(ResponseCodeTable).map(([name, info]) => [name, info.code]),
) as { readonly [K in ResponseCodeName]: (typeof ResponseCodeTable)[K]['code'] };

function invert(table: Record<string, number>): Map<number, string> {
  const m = new Map<number, string>();
  for (const [name, code] of Object.entries(table)) if (!m.has(code)) m.set(code, name);
  return m;
}
const requestNames = invert(RequestCode);
const responseNames = invert(ResponseCode);
const responseDescriptions = new Map<number, string>(
  Object.values(ResponseCodeTable).map((info) => [info.code, info.description]),
);

/** `"PULL_MESSAGE"` for 11; `"UNKNOWN(<code>)"` for codes not in the table. */
export function requestCodeName(code: number): string {
  return requestNames.get(code) ?? `UNKNOWN(${code})`;
}
export function responseCodeName(code: number): string {
  return responseNames.get(code) ?? `UNKNOWN(${code})`;
}
export function responseCodeDescription(code: number): string {
  return responseDescriptions.get(code) ?? `response code ${code}`;
}

/** LanguageCode byte values; the JSON header carries the name, the binary header the byte. */
export const LanguageCode = {
  JAVA: 0,
  CPP: 1,
  DOTNET: 2,
  PYTHON: 3,
  DELPHI: 4,
  ERLANG: 5,
  RUBY: 6,
  OTHER: 7,
  HTTP: 8,
  GO: 9,
  PHP: 10,
  OMS: 11,
  RUST: 12,
  /** 5.x only: a 4.9.x Java peer decodes it as null. */
  NODE_JS: 13,
} as const;
export type LanguageName = keyof typeof LanguageCode;

/** Index = byte value. */
export const LANGUAGE_NAMES: readonly LanguageName[] = Object.keys(LanguageCode) as LanguageName[];
const languageByName = new Map<string, number>(Object.entries(LanguageCode));

/** Byte value for a JSON language name; undefined when the name is unknown (Java decodes it as null). */
export function languageCodeOf(name: string): number | undefined {
  return languageByName.get(name);
}

/** Ordinals of MQVersion.Version used on the wire (rocketmq-protocol.md §2.6). */
export const MQVersion = {
  V3_0_7_SNAPSHOT: 28,
  V3_0_11: 37,
  V3_4_9: 121,
  V4_1_0_SNAPSHOT: 232,
  V4_3_0: 273,
  V4_9_3: 399,
  V4_9_4: 401,
  V4_9_8: 409,
  V5_0_0: 413,
  V5_1_0: 433,
  V5_2_0: 453,
  V5_3_3: 479,
} as const;

/** What rockit sends by default: a 4.9.8 Java peer (modern route JSON, no unknown-language surprises). */
export const DEFAULT_VERSION = MQVersion.V4_9_8;
export const DEFAULT_LANGUAGE = LanguageCode.JAVA;

/** Header serialize types (frame byte 4). */
export const SerializeType = { JSON: 0, ROCKETMQ: 1 } as const;
export type SerializeTypeValue = (typeof SerializeType)[keyof typeof SerializeType];

/** RemotingCommand flag bits. */
export const RPC_TYPE_RESPONSE = 1;
export const RPC_ONEWAY = 2;

export { RouteInfoManager, DEFAULT_BROKER_CHANNEL_EXPIRED_TIME } from './route-info-manager.js';
export type {
  BrokerChannel,
  BrokerLiveInfo,
  RegisterBrokerRequest,
  RegisterBrokerResult,
  RouteInfoManagerOptions,
} from './route-info-manager.js';
export { KVConfigManager, NAMESPACE_ORDER_TOPIC_CONFIG } from './kv-config-manager.js';
export {
  applyProperties,
  configBlackList,
  defaultNamesrvConfig,
  loadNamesrvConfig,
  namesrvConfigEntries,
  FIXED_CONFIG_BLACKLIST,
  type NamesrvConfig,
} from './namesrv-config.js';
export { parseProperties, formatProperties } from './properties.js';
export { string2File, file2String } from './config-file.js';
export { dataVersionEquals, encodeDataVersion, toDataVersion, type DataVersion } from './data-version.js';
export {
  encodeBrokerData,
  encodeClusterInfo,
  encodeKVTable,
  encodeQueueData,
  encodeTopicList,
  encodeTopicRouteData,
  type BrokerData,
  type ClusterInfo,
  type JsonStyle,
  type QueueData,
  type TopicList,
  type TopicRouteData,
} from './route-data.js';
export {
  decodeRegisterBrokerBody,
  decodeTopicConfigSerializeWrapper,
  decodeTopicConfigText,
  encodeRegisterBrokerBody,
  encodeTopicConfig,
  encodeTopicConfigText,
  type RegisterBrokerBody,
  type TopicConfig,
  type TopicConfigSerializeWrapper,
  type TopicFilterType,
} from './register-broker-body.js';
export { BodyDecodeError } from './body-json.js';
export { NamesrvController, type NamesrvControllerOptions } from './namesrv-controller.js';
export {
  NAMESRV_PROCESSORS,
  processNamesrvRequest,
  type NamesrvRequestContext,
  type NamesrvRequestHandler,
  type NamesrvRuntime,
} from './default-request-processor.js';

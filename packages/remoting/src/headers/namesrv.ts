/** Name server operations (§4.2): broker registration, routes, KV config, topic and permission admin. */
import { B, I, L, S, b, defineHeader, i, s, type HeaderOf } from './descriptor.js';

export const RegisterBrokerRequestHeader = defineHeader('RegisterBrokerRequestHeader', {
  brokerName: S,
  brokerAddr: S,
  clusterName: S,
  haServerAddr: S,
  brokerId: L,
  compressed: b,
  bodyCrc32: i,
});
export type RegisterBrokerRequestHeader = HeaderOf<typeof RegisterBrokerRequestHeader>;

export const RegisterBrokerResponseHeader = defineHeader('RegisterBrokerResponseHeader', {
  haServerAddr: s,
  masterAddr: s,
});
export type RegisterBrokerResponseHeader = HeaderOf<typeof RegisterBrokerResponseHeader>;

/** UNREGISTER_BROKER (104) and QUERY_DATA_VERSION (322) identify a broker the same way. */
export const UnregisterBrokerRequestHeader = defineHeader('UnregisterBrokerRequestHeader', {
  brokerName: S,
  brokerAddr: S,
  clusterName: S,
  brokerId: L,
});
export type UnregisterBrokerRequestHeader = HeaderOf<typeof UnregisterBrokerRequestHeader>;
export const QueryDataVersionRequestHeader = defineHeader('QueryDataVersionRequestHeader', UnregisterBrokerRequestHeader.fields);
export const QueryDataVersionResponseHeader = defineHeader('QueryDataVersionResponseHeader', { changed: B });

export const GetRouteInfoRequestHeader = defineHeader('GetRouteInfoRequestHeader', {
  topic: S,
  acceptStandardJsonOnly: b,
});
export type GetRouteInfoRequestHeader = HeaderOf<typeof GetRouteInfoRequestHeader>;

export const PutKVConfigRequestHeader = defineHeader('PutKVConfigRequestHeader', { namespace: S, key: S, value: S });
export type PutKVConfigRequestHeader = HeaderOf<typeof PutKVConfigRequestHeader>;
export const GetKVConfigRequestHeader = defineHeader('GetKVConfigRequestHeader', { namespace: S, key: S });
export type GetKVConfigRequestHeader = HeaderOf<typeof GetKVConfigRequestHeader>;
export const GetKVConfigResponseHeader = defineHeader('GetKVConfigResponseHeader', { value: s });
export const DeleteKVConfigRequestHeader = defineHeader('DeleteKVConfigRequestHeader', { namespace: S, key: S });
export const GetKVListByNamespaceRequestHeader = defineHeader('GetKVListByNamespaceRequestHeader', { namespace: S });

export const DeleteTopicFromNamesrvRequestHeader = defineHeader('DeleteTopicFromNamesrvRequestHeader', {
  topic: S,
  clusterName: s,
});
export type DeleteTopicFromNamesrvRequestHeader = HeaderOf<typeof DeleteTopicFromNamesrvRequestHeader>;

export const GetTopicsByClusterRequestHeader = defineHeader('GetTopicsByClusterRequestHeader', { cluster: S });

export const WipeWritePermOfBrokerRequestHeader = defineHeader('WipeWritePermOfBrokerRequestHeader', { brokerName: S });
export const WipeWritePermOfBrokerResponseHeader = defineHeader('WipeWritePermOfBrokerResponseHeader', {
  wipeTopicCount: I,
});
export const AddWritePermOfBrokerRequestHeader = defineHeader('AddWritePermOfBrokerRequestHeader', { brokerName: S });
export const AddWritePermOfBrokerResponseHeader = defineHeader('AddWritePermOfBrokerResponseHeader', {
  addTopicCount: I,
});

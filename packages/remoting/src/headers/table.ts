/** Request code -> custom header descriptors of the request and of its response. Codes absent have no header. */
import { RequestCode } from '../codes.js';
import * as acl from './acl.js';
import * as admin from './admin.js';
import type { HeaderDescriptor } from './descriptor.js';
import * as namesrv from './namesrv.js';
import * as offset from './offset.js';
import * as pull from './pull.js';
import * as query from './query.js';
import * as send from './send.js';
import * as client from './client.js';
import * as tx from './transaction.js';

export interface CommandHeaders {
  readonly request?: HeaderDescriptor;
  readonly response?: HeaderDescriptor;
}

const C = RequestCode;
export const HeaderTable: ReadonlyMap<number, CommandHeaders> = new Map<number, CommandHeaders>([
  [C.SEND_MESSAGE, { request: send.SendMessageRequestHeader, response: send.SendMessageResponseHeader }],
  [C.SEND_MESSAGE_V2, { request: send.SendMessageRequestHeaderV2, response: send.SendMessageResponseHeader }],
  [C.SEND_BATCH_MESSAGE, { request: send.SendMessageRequestHeaderV2, response: send.SendMessageResponseHeader }],
  [C.SEND_REPLY_MESSAGE, { request: send.SendMessageRequestHeader, response: send.SendMessageResponseHeader }],
  [C.SEND_REPLY_MESSAGE_V2, { request: send.SendMessageRequestHeaderV2, response: send.SendMessageResponseHeader }],
  [C.CONSUMER_SEND_MSG_BACK, { request: send.ConsumerSendMsgBackRequestHeader }],
  [C.PUSH_REPLY_MESSAGE_TO_CLIENT, { request: send.ReplyMessageRequestHeader }],
  [C.PULL_MESSAGE, { request: pull.PullMessageRequestHeader, response: pull.PullMessageResponseHeader }],
  [C.QUERY_MESSAGE, { request: query.QueryMessageRequestHeader, response: query.QueryMessageResponseHeader }],
  [C.VIEW_MESSAGE_BY_ID, { request: query.ViewMessageRequestHeader }],
  [
    C.QUERY_CONSUMER_OFFSET,
    { request: offset.QueryConsumerOffsetRequestHeader, response: offset.QueryConsumerOffsetResponseHeader },
  ],
  [C.UPDATE_CONSUMER_OFFSET, { request: offset.UpdateConsumerOffsetRequestHeader }],
  [C.GET_MAX_OFFSET, { request: offset.GetMaxOffsetRequestHeader, response: offset.GetMaxOffsetResponseHeader }],
  [C.GET_MIN_OFFSET, { request: offset.GetMinOffsetRequestHeader, response: offset.GetMinOffsetResponseHeader }],
  [
    C.SEARCH_OFFSET_BY_TIMESTAMP,
    { request: offset.SearchOffsetRequestHeader, response: offset.SearchOffsetResponseHeader },
  ],
  [
    C.GET_EARLIEST_MSG_STORETIME,
    { request: offset.GetEarliestMsgStoretimeRequestHeader, response: offset.GetEarliestMsgStoretimeResponseHeader },
  ],
  [C.UNREGISTER_CLIENT, { request: client.UnregisterClientRequestHeader }],
  [C.GET_CONSUMER_LIST_BY_GROUP, { request: client.GetConsumerListByGroupRequestHeader }],
  [C.NOTIFY_CONSUMER_IDS_CHANGED, { request: client.NotifyConsumerIdsChangedRequestHeader }],
  [C.END_TRANSACTION, { request: tx.EndTransactionRequestHeader }],
  [C.CHECK_TRANSACTION_STATE, { request: tx.CheckTransactionStateRequestHeader }],
  [C.RESUME_CHECK_HALF_MESSAGE, { request: tx.ResumeCheckHalfMessageRequestHeader }],
  [C.REGISTER_BROKER, { request: namesrv.RegisterBrokerRequestHeader, response: namesrv.RegisterBrokerResponseHeader }],
  [C.UNREGISTER_BROKER, { request: namesrv.UnregisterBrokerRequestHeader }],
  [
    C.QUERY_DATA_VERSION,
    { request: namesrv.QueryDataVersionRequestHeader, response: namesrv.QueryDataVersionResponseHeader },
  ],
  [C.GET_ROUTEINFO_BY_TOPIC, { request: namesrv.GetRouteInfoRequestHeader }],
  [C.PUT_KV_CONFIG, { request: namesrv.PutKVConfigRequestHeader }],
  [C.GET_KV_CONFIG, { request: namesrv.GetKVConfigRequestHeader, response: namesrv.GetKVConfigResponseHeader }],
  [C.DELETE_KV_CONFIG, { request: namesrv.DeleteKVConfigRequestHeader }],
  [C.GET_KVLIST_BY_NAMESPACE, { request: namesrv.GetKVListByNamespaceRequestHeader }],
  [C.DELETE_TOPIC_IN_NAMESRV, { request: namesrv.DeleteTopicFromNamesrvRequestHeader }],
  [C.GET_TOPICS_BY_CLUSTER, { request: namesrv.GetTopicsByClusterRequestHeader }],
  [
    C.WIPE_WRITE_PERM_OF_BROKER,
    { request: namesrv.WipeWritePermOfBrokerRequestHeader, response: namesrv.WipeWritePermOfBrokerResponseHeader },
  ],
  [
    C.ADD_WRITE_PERM_OF_BROKER,
    { request: namesrv.AddWritePermOfBrokerRequestHeader, response: namesrv.AddWritePermOfBrokerResponseHeader },
  ],
  [C.UPDATE_AND_CREATE_TOPIC, { request: admin.CreateTopicRequestHeader }],
  [C.DELETE_TOPIC_IN_BROKER, { request: admin.DeleteTopicRequestHeader }],
  [C.GET_BROKER_CONFIG, { response: admin.GetBrokerConfigResponseHeader }],
  [C.DELETE_SUBSCRIPTIONGROUP, { request: admin.DeleteSubscriptionGroupRequestHeader }],
  [C.GET_CONSUME_STATS, { request: admin.GetConsumeStatsRequestHeader }],
  [C.GET_TOPIC_STATS_INFO, { request: admin.GetTopicStatsInfoRequestHeader }],
  [C.QUERY_CONSUME_QUEUE, { request: admin.QueryConsumeQueueRequestHeader }],
  [C.INVOKE_BROKER_TO_RESET_OFFSET, { request: admin.ResetOffsetRequestHeader }],
  [C.RESET_CONSUMER_CLIENT_OFFSET, { request: admin.ResetOffsetRequestHeader }],
  [C.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, { request: admin.GetConsumerStatusRequestHeader }],
  [C.GET_CONSUMER_STATUS_FROM_CLIENT, { request: admin.GetConsumerStatusRequestHeader }],
  [C.GET_CONSUMER_CONNECTION_LIST, { request: admin.GetConsumerConnectionListRequestHeader }],
  [C.GET_PRODUCER_CONNECTION_LIST, { request: admin.GetProducerConnectionListRequestHeader }],
  [C.QUERY_TOPIC_CONSUME_BY_WHO, { request: admin.QueryTopicConsumeByWhoRequestHeader }],
  [C.QUERY_CONSUME_TIME_SPAN, { request: admin.QueryConsumeTimeSpanRequestHeader }],
  [C.CONSUME_MESSAGE_DIRECTLY, { request: admin.ConsumeMessageDirectlyResultRequestHeader }],
  [C.GET_CONSUMER_RUNNING_INFO, { request: admin.GetConsumerRunningInfoRequestHeader }],
  [C.QUERY_CORRECTION_OFFSET, { request: admin.QueryCorrectionOffsetHeader }],
  [C.CLONE_GROUP_OFFSET, { request: admin.CloneGroupOffsetRequestHeader }],
  [C.VIEW_BROKER_STATS_DATA, { request: admin.ViewBrokerStatsDataRequestHeader }],
  [C.GET_BROKER_CONSUME_STATS, { request: admin.GetConsumeStatsInBrokerHeader }],
  [C.UPDATE_AND_CREATE_ACL_CONFIG, { request: acl.PlainAccessConfigRequestHeader }],
  [C.DELETE_ACL_CONFIG, { request: acl.DeleteAccessConfigRequestHeader }],
  [C.GET_BROKER_CLUSTER_ACL_INFO, { response: acl.GetBrokerAclConfigResponseHeader }],
  [C.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG, { request: acl.UpdateGlobalWhiteAddrsConfigRequestHeader }],
]);

/** The request header descriptor of `code`, if it has one. */
export function requestHeaderOf(code: number): HeaderDescriptor | undefined {
  return HeaderTable.get(code)?.request;
}
/** The response header descriptor for a request of `code`, if it has one. */
export function responseHeaderOf(code: number): HeaderDescriptor | undefined {
  return HeaderTable.get(code)?.response;
}

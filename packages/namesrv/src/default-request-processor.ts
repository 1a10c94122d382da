/**
 * The name server's request handlers (RocketMQ `DefaultRequestProcessor`), as a table from request
 * code to handler. A handler answers with a response command or throws a RemotingCommandError
 * carrying the RocketMQ response code and remark.
 */
import { bodyCrc32, type Logger } from '@rockit/common';
import {
  AddWritePermOfBrokerRequestHeader,
  AddWritePermOfBrokerResponseHeader,
  DeleteKVConfigRequestHeader,
  DeleteTopicFromNamesrvRequestHeader,
  GetKVConfigRequestHeader,
  GetKVConfigResponseHeader,
  GetKVListByNamespaceRequestHeader,
  GetRouteInfoRequestHeader,
  GetTopicsByClusterRequestHeader,
  MQVersion,
  PutKVConfigRequestHeader,
  QueryDataVersionRequestHeader,
  QueryDataVersionResponseHeader,
  RegisterBrokerRequestHeader,
  RegisterBrokerResponseHeader,
  RemotingCommand,
  RemotingCommandError,
  RequestCode,
  ResponseCode,
  UnregisterBrokerRequestHeader,
  WipeWritePermOfBrokerRequestHeader,
  WipeWritePermOfBrokerResponseHeader,
  decodeHeader,
  encodeHeader,
  type HeaderDescriptor,
} from '@rockit/remoting';
import { BodyDecodeError, parseBodyJson } from './body-json.js';
import { encodeDataVersion, toDataVersion } from './data-version.js';
import { KVConfigManager, NAMESPACE_ORDER_TOPIC_CONFIG } from './kv-config-manager.js';
import { configBlackList, namesrvConfigEntries, type NamesrvConfig } from './namesrv-config.js';
import { formatProperties, parseProperties } from './properties.js';
import {
  decodeRegisterBrokerBody,
  decodeTopicConfigSerializeWrapper,
  type RegisterBrokerBody,
} from './register-broker-body.js';
import { encodeClusterInfo, encodeTopicList, encodeTopicRouteData, type TopicList } from './route-data.js';
import type { BrokerChannel, RouteInfoManager } from './route-info-manager.js';

/** Where a request came from: the connection (identity used for liveness) and its peer address. */
export interface NamesrvRequestContext {
  channel: BrokerChannel;
  remoteAddr: string;
}

/** What handlers work on; the NamesrvController provides it. */
export interface NamesrvRuntime {
  readonly config: NamesrvConfig;
  readonly routeInfoManager: RouteInfoManager;
  readonly kvConfigManager: KVConfigManager;
  /** Applies UPDATE_NAMESRV_CONFIG properties and persists them to configStorePath. */
  updateConfig(props: Map<string, string>): void;
  readonly log: Logger;
}

export type NamesrvRequestHandler = (rt: NamesrvRuntime, ctx: NamesrvRequestContext, request: RemotingCommand) => RemotingCommand;

const FAQ_APPLY_TOPIC = '\nSee http://rocketmq.apache.org/docs/faq/ for further details.';

function success(body?: Buffer, header?: { values: object; descriptor: HeaderDescriptor }): RemotingCommand {
  const extFields = header ? encodeHeader(header.values, header.descriptor) : undefined;
  const response = RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, extFields);
  response.body = body;
  return response;
}

function topicListResponse(list: TopicList): RemotingCommand {
  return success(encodeTopicList(list));
}

function registerBroker(rt: NamesrvRuntime, ctx: NamesrvRequestContext, request: RemotingCommand): RemotingCommand {
  const { brokerName, brokerAddr, clusterName, haServerAddr, brokerId, compressed, bodyCrc32: expectedCrc = 0 } =
    decodeHeader(request, RegisterBrokerRequestHeader);
  if (expectedCrc !== 0) {
    const actual = request.body ? bodyCrc32(request.body) : 0;
    if (actual !== expectedCrc) {
      rt.log.warn({ brokerAddr, expectedCrc, actual }, 'receive registerBroker request, crc32 not match');
      throw RemotingCommandError.systemError('crc32 not match');
    }
  }

  let body: RegisterBrokerBody = {
    topicConfigSerializeWrapper: { topicConfigTable: new Map(), dataVersion: { timestamp: 0, counter: 0 } },
    filterServerList: [],
  };
  if (request.body && request.body.length > 0) {
    try {
      // Brokers before V3_0_11 send the bare topic config wrapper.
      body =
        request.version >= MQVersion.V3_0_11
          ? decodeRegisterBrokerBody(request.body, compressed ?? false)
          : { topicConfigSerializeWrapper: decodeTopicConfigSerializeWrapper(request.body), filterServerList: [] };
    } catch (err) {
      throw RemotingCommandError.systemError(`Failed to decode RegisterBrokerBody: ${(err as Error).message}`);
    }
  }

  // 5.x brokers add their own expiry to the header.
  const heartbeatTimeoutMillis = Number(request.extFields?.heartbeatTimeoutMillis ?? 0);
  const result = rt.routeInfoManager.registerBroker({
    clusterName,
    brokerAddr,
    brokerName,
    brokerId,
    haServerAddr,
    topicConfigWrapper: body.topicConfigSerializeWrapper,
    filterServerList: body.filterServerList,
    channel: ctx.channel,
    ...(Number.isSafeInteger(heartbeatTimeoutMillis) && heartbeatTimeoutMillis > 0 ? { heartbeatTimeoutMillis } : {}),
  });

  const orderTopics = rt.config.returnOrderTopicConfigToBroker
    ? rt.kvConfigManager.getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG)
    : undefined;
  // Java answers with a RegisterBrokerResponseHeader even when both fields are null: `"extFields":{}`.
  return success(orderTopics, { values: result, descriptor: RegisterBrokerResponseHeader });
}

function getRouteInfoByTopic(rt: NamesrvRuntime, _ctx: NamesrvRequestContext, request: RemotingCommand): RemotingCommand {
  const { topic, acceptStandardJsonOnly } = decodeHeader(request, GetRouteInfoRequestHeader);
  const route = rt.routeInfoManager.pickupTopicRouteData(topic);
  if (!route) {
    throw new RemotingCommandError(
      ResponseCode.TOPIC_NOT_EXIST,
      `No topic route info in name server for the topic: ${topic}${FAQ_APPLY_TOPIC}`,
    );
  }
  if (rt.config.orderMessageEnable) {
    const conf = rt.kvConfigManager.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, topic);
    if (conf !== undefined) route.orderTopicConf = conf;
  }
  // Clients from 4.9.4 on (or ones that ask) get standard JSON; older ones fastjson's bare integer keys.
  const standard = request.version >= MQVersion.V4_9_4 || acceptStandardJsonOnly === true;
  return success(encodeTopicRouteData(route, standard ? 'standard' : 'native'));
}

function queryDataVersion(rt: NamesrvRuntime, _ctx: NamesrvRequestContext, request: RemotingCommand): RemotingCommand {
  const { brokerAddr } = decodeHeader(request, QueryDataVersionRequestHeader);
  const dataVersion = toDataVersion(request.body ? parseBodyJson(request.body, 'DataVersion') : undefined);
  const rim = rt.routeInfoManager;
  const changed = rim.isBrokerTopicConfigChanged(brokerAddr, dataVersion);
  if (!changed) rim.updateBrokerInfoUpdateTimestamp(brokerAddr);
  const known = rim.queryBrokerTopicConfig(brokerAddr);
  const body = known ? Buffer.from(encodeDataVersion(known)) : undefined;
  return success(body, { values: { changed }, descriptor: QueryDataVersionResponseHeader });
}

function updateNamesrvConfig(rt: NamesrvRuntime, _ctx: NamesrvRequestContext, request: RemotingCommand): RemotingCommand {
  if (!request.body || request.body.length === 0) return success();
  const props = parseProperties(request.body.toString('utf8'));
  const blackList = configBlackList(rt.config);
  const refused = [...props.keys()].filter((k) => blackList.has(k));
  if (refused.length > 0) {
    rt.log.warn({ refused }, 'updateConfig refused keys in the config black list');
    throw new RemotingCommandError(ResponseCode.NO_PERMISSION, 'Can not update config in black list.');
  }
  rt.updateConfig(props);
  return success();
}

/** Request code -> handler, for every code a name server answers. */
export const NAMESRV_PROCESSORS: ReadonlyMap<number, NamesrvRequestHandler> = new Map<number, NamesrvRequestHandler>([
  [RequestCode.PUT_KV_CONFIG, (rt, _ctx, req) => {
    const { namespace, key, value } = decodeHeader(req, PutKVConfigRequestHeader);
    rt.kvConfigManager.putKVConfig(namespace, key, value);
    return success();
  }],
  [RequestCode.GET_KV_CONFIG, (rt, _ctx, req) => {
    const { namespace, key } = decodeHeader(req, GetKVConfigRequestHeader);
    const value = rt.kvConfigManager.getKVConfig(namespace, key);
    if (value === undefined) {
      throw new RemotingCommandError(ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${namespace} Key: ${key}`);
    }
    return success(undefined, { values: { value }, descriptor: GetKVConfigResponseHeader });
  }],
  [RequestCode.DELETE_KV_CONFIG, (rt, _ctx, req) => {
    const { namespace, key } = decodeHeader(req, DeleteKVConfigRequestHeader);
    rt.kvConfigManager.deleteKVConfig(namespace, key);
    return success();
  }],
  [RequestCode.GET_KVLIST_BY_NAMESPACE, (rt, _ctx, req) => {
    const { namespace } = decodeHeader(req, GetKVListByNamespaceRequestHeader);
    const table = rt.kvConfigManager.getKVListByNamespace(namespace);
    if (!table) throw new RemotingCommandError(ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${namespace}`);
    return success(table);
  }],
  [RequestCode.QUERY_DATA_VERSION, queryDataVersion],
  [RequestCode.REGISTER_BROKER, registerBroker],
  [RequestCode.UNREGISTER_BROKER, (rt, _ctx, req) => {
    const { clusterName, brokerAddr, brokerName, brokerId } = decodeHeader(req, UnregisterBrokerRequestHeader);
    rt.routeInfoManager.unregisterBroker(clusterName, brokerAddr, brokerName, brokerId);
    return success();
  }],
  [RequestCode.GET_ROUTEINFO_BY_TOPIC, getRouteInfoByTopic],
  [RequestCode.GET_BROKER_CLUSTER_INFO, (rt) => success(encodeClusterInfo(rt.routeInfoManager.getAllClusterInfo()))],
  [RequestCode.WIPE_WRITE_PERM_OF_BROKER, (rt, _ctx, req) => {
    const { brokerName } = decodeHeader(req, WipeWritePermOfBrokerRequestHeader);
    const wipeTopicCount = rt.routeInfoManager.wipeWritePermOfBroker(brokerName);
    return success(undefined, { values: { wipeTopicCount }, descriptor: WipeWritePermOfBrokerResponseHeader });
  }],
  [RequestCode.ADD_WRITE_PERM_OF_BROKER, (rt, _ctx, req) => {
    const { brokerName } = decodeHeader(req, AddWritePermOfBrokerRequestHeader);
    const addTopicCount = rt.routeInfoManager.addWritePermOfBroker(brokerName);
    return success(undefined, { values: { addTopicCount }, descriptor: AddWritePermOfBrokerResponseHeader });
  }],
  [RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, (rt) => topicListResponse(rt.routeInfoManager.getAllTopicList())],
  [RequestCode.DELETE_TOPIC_IN_NAMESRV, (rt, _ctx, req) => {
    const { topic, clusterName } = decodeHeader(req, DeleteTopicFromNamesrvRequestHeader);
    rt.routeInfoManager.deleteTopic(topic, clusterName);
    return success();
  }],
  [RequestCode.GET_TOPICS_BY_CLUSTER, (rt, _ctx, req) =>
    topicListResponse(rt.routeInfoManager.getTopicsByCluster(decodeHeader(req, GetTopicsByClusterRequestHeader).cluster))],
  [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, (rt) => topicListResponse(rt.routeInfoManager.getSystemTopicList())],
  [RequestCode.GET_UNIT_TOPIC_LIST, (rt) => topicListResponse(rt.routeInfoManager.getUnitTopics())],
  [RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, (rt) => topicListResponse(rt.routeInfoManager.getHasUnitSubTopicList())],
  [RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, (rt) =>
    topicListResponse(rt.routeInfoManager.getHasUnitSubUnUnitTopicList())],
  [RequestCode.UPDATE_NAMESRV_CONFIG, updateNamesrvConfig],
  [RequestCode.GET_NAMESRV_CONFIG, (rt) =>
    success(Buffer.from(formatProperties(namesrvConfigEntries(rt.config)), 'utf8'))],
]);

/** Runs the handler for `request.code`, turning failures into RocketMQ error responses. */
export function processNamesrvRequest(
  rt: NamesrvRuntime,
  ctx: NamesrvRequestContext,
  request: RemotingCommand,
): RemotingCommand {
  const handler = NAMESRV_PROCESSORS.get(request.code);
  if (!handler) {
    return RemotingCommand.createResponse(
      ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
      ` request type ${request.code} not supported`,
    );
  }
  try {
    return handler(rt, ctx, request);
  } catch (err) {
    if (err instanceof RemotingCommandError) return RemotingCommand.createResponse(err.code, err.remark);
    if (err instanceof BodyDecodeError) return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, err.message);
    rt.log.error({ err, code: request.code, remoteAddr: ctx.remoteAddr }, 'name server request failed');
    return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, String((err as Error)?.message ?? err));
  }
}

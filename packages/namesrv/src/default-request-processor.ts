/**
 * The name server's request handlers (RocketMQ `DefaultRequestProcessor`), as a table from request
 * code to handler. A handler answers with a response command or throws a RemotingCommandError
 * carrying the RocketMQ response code and remark.
 */
import { bodyCrc32, type Logger } from '@rockit/common';
import { MQVersion, RemotingCommand, RemotingCommandError, RequestCode, ResponseCode } from '@rockit/remoting';
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
import { optionalBoolean, optionalLong, optionalString, requiredLong, requiredString } from './request-header.js';
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

function success(body?: Buffer, extFields?: Record<string, string>): RemotingCommand {
  const response = RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, extFields);
  response.body = body;
  return response;
}

function topicListResponse(list: TopicList): RemotingCommand {
  return success(encodeTopicList(list));
}

function registerBroker(rt: NamesrvRuntime, ctx: NamesrvRequestContext, request: RemotingCommand): RemotingCommand {
  const brokerName = requiredString(request, 'brokerName');
  const brokerAddr = requiredString(request, 'brokerAddr');
  const clusterName = requiredString(request, 'clusterName');
  const haServerAddr = requiredString(request, 'haServerAddr');
  const brokerId = requiredLong(request, 'brokerId');
  const expectedCrc = optionalLong(request, 'bodyCrc32') ?? 0;
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
          ? decodeRegisterBrokerBody(request.body, optionalBoolean(request, 'compressed') ?? false)
          : { topicConfigSerializeWrapper: decodeTopicConfigSerializeWrapper(request.body), filterServerList: [] };
    } catch (err) {
      throw RemotingCommandError.systemError(`Failed to decode RegisterBrokerBody: ${(err as Error).message}`);
    }
  }

  const heartbeatTimeoutMillis = optionalLong(request, 'heartbeatTimeoutMillis');
  const result = rt.routeInfoManager.registerBroker({
    clusterName,
    brokerAddr,
    brokerName,
    brokerId,
    haServerAddr,
    topicConfigWrapper: body.topicConfigSerializeWrapper,
    filterServerList: body.filterServerList,
    channel: ctx.channel,
    ...(heartbeatTimeoutMillis && heartbeatTimeoutMillis > 0 ? { heartbeatTimeoutMillis } : {}),
  });

  // Java answers with a RegisterBrokerResponseHeader even when both fields are null: `"extFields":{}`.
  const extFields: Record<string, string> = {};
  if (result.haServerAddr !== undefined) extFields.haServerAddr = result.haServerAddr;
  if (result.masterAddr !== undefined) extFields.masterAddr = result.masterAddr;
  const orderTopics = rt.config.returnOrderTopicConfigToBroker
    ? rt.kvConfigManager.getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG)
    : undefined;
  return success(orderTopics, extFields);
}

function getRouteInfoByTopic(rt: NamesrvRuntime, _ctx: NamesrvRequestContext, request: RemotingCommand): RemotingCommand {
  const topic = requiredString(request, 'topic');
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
  const standard = request.version >= MQVersion.V4_9_4 || optionalBoolean(request, 'acceptStandardJsonOnly') === true;
  return success(encodeTopicRouteData(route, standard ? 'standard' : 'native'));
}

function queryDataVersion(rt: NamesrvRuntime, _ctx: NamesrvRequestContext, request: RemotingCommand): RemotingCommand {
  const brokerAddr = requiredString(request, 'brokerAddr');
  requiredString(request, 'brokerName');
  requiredString(request, 'clusterName');
  requiredLong(request, 'brokerId');
  const dataVersion = toDataVersion(request.body ? parseBodyJson(request.body, 'DataVersion') : undefined);
  const rim = rt.routeInfoManager;
  const changed = rim.isBrokerTopicConfigChanged(brokerAddr, dataVersion);
  if (!changed) rim.updateBrokerInfoUpdateTimestamp(brokerAddr);
  const known = rim.queryBrokerTopicConfig(brokerAddr);
  return success(known ? Buffer.from(encodeDataVersion(known)) : undefined, { changed: String(changed) });
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

function kvHeader(request: RemotingCommand): { namespace: string; key: string } {
  return { namespace: requiredString(request, 'namespace'), key: requiredString(request, 'key') };
}

/** Request code -> handler, for every code a name server answers. */
export const NAMESRV_PROCESSORS: ReadonlyMap<number, NamesrvRequestHandler> = new Map<number, NamesrvRequestHandler>([
  [RequestCode.PUT_KV_CONFIG, (rt, _ctx, req) => {
    const { namespace, key } = kvHeader(req);
    rt.kvConfigManager.putKVConfig(namespace, key, requiredString(req, 'value'));
    return success();
  }],
  [RequestCode.GET_KV_CONFIG, (rt, _ctx, req) => {
    const { namespace, key } = kvHeader(req);
    const value = rt.kvConfigManager.getKVConfig(namespace, key);
    if (value === undefined) {
      throw new RemotingCommandError(ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${namespace} Key: ${key}`);
    }
    return success(undefined, { value });
  }],
  [RequestCode.DELETE_KV_CONFIG, (rt, _ctx, req) => {
    const { namespace, key } = kvHeader(req);
    rt.kvConfigManager.deleteKVConfig(namespace, key);
    return success();
  }],
  [RequestCode.GET_KVLIST_BY_NAMESPACE, (rt, _ctx, req) => {
    const namespace = requiredString(req, 'namespace');
    const table = rt.kvConfigManager.getKVListByNamespace(namespace);
    if (!table) throw new RemotingCommandError(ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${namespace}`);
    return success(table);
  }],
  [RequestCode.QUERY_DATA_VERSION, queryDataVersion],
  [RequestCode.REGISTER_BROKER, registerBroker],
  [RequestCode.UNREGISTER_BROKER, (rt, _ctx, req) => {
    rt.routeInfoManager.unregisterBroker(
      requiredString(req, 'clusterName'),
      requiredString(req, 'brokerAddr'),
      requiredString(req, 'brokerName'),
      requiredLong(req, 'brokerId'),
    );
    return success();
  }],
  [RequestCode.GET_ROUTEINFO_BY_TOPIC, getRouteInfoByTopic],
  [RequestCode.GET_BROKER_CLUSTER_INFO, (rt) => success(encodeClusterInfo(rt.routeInfoManager.getAllClusterInfo()))],
  [RequestCode.WIPE_WRITE_PERM_OF_BROKER, (rt, _ctx, req) => {
    const count = rt.routeInfoManager.wipeWritePermOfBroker(requiredString(req, 'brokerName'));
    return success(undefined, { wipeTopicCount: String(count) });
  }],
  [RequestCode.ADD_WRITE_PERM_OF_BROKER, (rt, _ctx, req) => {
    const count = rt.routeInfoManager.addWritePermOfBroker(requiredString(req, 'brokerName'));
    return success(undefined, { addTopicCount: String(count) });
  }],
  [RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, (rt) => topicListResponse(rt.routeInfoManager.getAllTopicList())],
  [RequestCode.DELETE_TOPIC_IN_NAMESRV, (rt, _ctx, req) => {
    rt.routeInfoManager.deleteTopic(requiredString(req, 'topic'), optionalString(req, 'clusterName'));
    return success();
  }],
  [RequestCode.GET_TOPICS_BY_CLUSTER, (rt, _ctx, req) =>
    topicListResponse(rt.routeInfoManager.getTopicsByCluster(requiredString(req, 'cluster')))],
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

/**
 * Plain ACL administration (rocketmq-protocol.md §4.9, 4.9.8's AdminBrokerProcessor): UPDATE_AND_CREATE_ACL_CONFIG,
 * DELETE_ACL_CONFIG, UPDATE_GLOBAL_WHITE_ADDRS_CONFIG change the broker's plain_acl.yml and take effect at once;
 * GET_BROKER_CLUSTER_ACL_INFO reports its data version. With ACL off they fail with their code, saying so.
 */
import { PlainAclConfigError, type PlainAclFile } from '@rockit/acl';
import {
  DeleteAccessConfigRequestHeader,
  GetBrokerAclConfigResponseHeader,
  PlainAccessConfigRequestHeader,
  RequestCode,
  ResponseCode,
  UpdateGlobalWhiteAddrsConfigRequestHeader,
  decodeHeader,
} from '@rockit/remoting';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import { codeResponse, headerResponse } from './responses.js';

/** UtilAll.split: comma list without blanks; undefined stays undefined (the field is not changed). */
function commaList(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((x) => x.trim()).filter(Boolean);
}

/** Runs a change of the ACL file; the validator reads the file's accounts, so it checks the next request against them. */
function changeAcl(ctx: BrokerContext, failureCode: number, change: (file: PlainAclFile) => void) {
  const file = ctx.aclFile;
  if (file === undefined) return codeResponse(failureCode, 'ACL is not enabled on this broker (aclEnable=false): there is no plain_acl.yml to change');
  try {
    change(file);
  } catch (err) {
    if (!(err instanceof PlainAclConfigError)) ctx.logger.warn({ err, file: file.path }, 'ACL file change failed');
    return codeResponse(failureCode, `${file.path} left unchanged: ${(err as Error).message}`);
  }
  ctx.logger.info({ file: file.path, dataVersion: file.dataVersion }, 'ACL file changed');
  return codeResponse(ResponseCode.SUCCESS);
}

const updateAndCreateAclConfig: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, PlainAccessConfigRequestHeader);
  return changeAcl(ctx, ResponseCode.UPDATE_AND_CREATE_ACL_CONFIG_FAILED, (file) => {
    const topicPerms = commaList(h.topicPerms);
    const groupPerms = commaList(h.groupPerms);
    file.updateAccount({
      accessKey: h.accessKey,
      admin: h.admin ?? false,
      ...(h.secretKey !== undefined ? { secretKey: h.secretKey } : {}),
      ...(h.whiteRemoteAddress !== undefined ? { whiteRemoteAddress: h.whiteRemoteAddress } : {}),
      ...(h.defaultTopicPerm !== undefined ? { defaultTopicPerm: h.defaultTopicPerm } : {}),
      ...(h.defaultGroupPerm !== undefined ? { defaultGroupPerm: h.defaultGroupPerm } : {}),
      ...(topicPerms !== undefined ? { topicPerms } : {}),
      ...(groupPerms !== undefined ? { groupPerms } : {}),
    });
  });
};

const deleteAclConfig: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, DeleteAccessConfigRequestHeader);
  return changeAcl(ctx, ResponseCode.DELETE_ACL_CONFIG_FAILED, (file) => void file.deleteAccount(h.accessKey));
};

const updateGlobalWhiteAddrsConfig: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, UpdateGlobalWhiteAddrsConfigRequestHeader);
  // rockit has one ACL file: `aclFileFullPath` may name it or be empty (the default file), nothing else.
  if (ctx.aclFile !== undefined && h.aclFileFullPath && h.aclFileFullPath !== ctx.aclFile.path) {
    return codeResponse(ResponseCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED, `this broker's ACL file is ${ctx.aclFile.path}, not ${h.aclFileFullPath}`);
  }
  return changeAcl(ctx, ResponseCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED, (file) => file.updateGlobalWhiteAddresses(commaList(h.globalWhiteAddrs) ?? []));
};

const getBrokerClusterAclInfo: BrokerRequestHandler = (ctx) => {
  const file = ctx.aclFile;
  if (file === undefined) return codeResponse(ResponseCode.SYSTEM_ERROR, 'ACL is not enabled on this broker (aclEnable=false)');
  const version = JSON.stringify(file.dataVersion);
  return headerResponse(
    {
      version,
      allAclFileVersion: JSON.stringify({ [file.path]: file.dataVersion }),
      brokerName: ctx.config.brokerName,
      brokerAddr: ctx.config.brokerAddr,
      clusterName: ctx.config.brokerClusterName,
    },
    GetBrokerAclConfigResponseHeader,
  );
};

export const ACL_ADMIN_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.UPDATE_AND_CREATE_ACL_CONFIG, updateAndCreateAclConfig],
  [RequestCode.DELETE_ACL_CONFIG, deleteAclConfig],
  [RequestCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG, updateGlobalWhiteAddrsConfig],
  [RequestCode.GET_BROKER_CLUSTER_ACL_INFO, getBrokerClusterAclInfo],
];

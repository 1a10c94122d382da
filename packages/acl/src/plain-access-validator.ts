/**
 * The broker side of plain ACL (rocketmq-protocol.md §13.2–13.3, 4.9.8's PlainAccessValidator and
 * PlainPermissionManager): who may send a request, checked in RocketMQ's order — global white addresses, the
 * access key's account, its own white address, the signature, admin-only codes, then the permission on every topic
 * and group the request touches.
 */
import { MixAll, getRetryTopic, parseFastJson } from '@rockit/common';
import { RequestCode, type RemotingCommand } from '@rockit/remoting';
import { checkPermission, permissionName, Permission } from './permission.js';
import type { PlainAccount, PlainAclConfig } from './plain-acl-config.js';
import { ACCESS_KEY, SIGNATURE, aclSignature } from './signer.js';

/** A refused request; the broker answers SYSTEM_ERROR with this message, as RocketMQ does. */
export class AclError extends Error {
  override name = 'AclError';
}

/**
 * Codes only an `admin: true` account may send: 4.9.8's Permission.needAdminPerm, plus the ACL changes themselves,
 * which 4.9.8 lets any account with a valid signature make (so any account could grant itself everything).
 */
const ADMIN_CODES: ReadonlySet<number> = new Set([
  RequestCode.UPDATE_AND_CREATE_TOPIC,
  RequestCode.UPDATE_BROKER_CONFIG,
  RequestCode.DELETE_TOPIC_IN_BROKER,
  RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
  RequestCode.DELETE_SUBSCRIPTIONGROUP,
  RequestCode.UPDATE_AND_CREATE_ACL_CONFIG,
  RequestCode.DELETE_ACL_CONFIG,
  RequestCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG,
]);

/** Trace producers write this topic; a request that publishes to it skips the resource checks (as 4.9.8). */
const TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
/** QUERY_MESSAGE's marker the 4.9.x broker leaves out of the signed content (its own client signs it: both pass). */
const UNIQUE_KEY_QUERY = '_UNIQUE_KEY_QUERY';

type Needed = Map<string, number>;

function need(map: Needed, resource: string | undefined, perm: number): void {
  if (resource) map.set(resource, (map.get(resource) ?? 0) | perm);
}

const group = (name: string | undefined) => (name ? getRetryTopic(name) : undefined);

/** The topics and groups (as `%RETRY%<group>`) a request touches, with the permission each needs. */
export function neededPermissions(request: RemotingCommand): Needed {
  const ext = request.extFields ?? {};
  const needed: Needed = new Map();
  switch (request.code) {
    case RequestCode.SEND_MESSAGE:
      need(needed, ext.topic, Permission.PUB);
      break;
    case RequestCode.SEND_MESSAGE_V2:
      need(needed, ext.b, Permission.PUB);
      if (ext.b?.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX)) need(needed, group(ext.a), Permission.SUB);
      break;
    case RequestCode.CONSUMER_SEND_MSG_BACK:
      need(needed, group(ext.group), Permission.SUB);
      break;
    case RequestCode.PULL_MESSAGE:
      need(needed, ext.topic, Permission.SUB);
      need(needed, group(ext.consumerGroup), Permission.SUB);
      break;
    case RequestCode.QUERY_MESSAGE:
      need(needed, ext.topic, Permission.SUB);
      break;
    case RequestCode.HEART_BEAT: {
      let body: { consumerDataSet?: { groupName?: string; subscriptionDataSet?: { topic?: string }[] }[] } | undefined;
      try {
        body = request.body ? (parseFastJson(request.body.toString('utf8')) as typeof body) : undefined;
      } catch {
        throw new AclError('the heartbeat body is not JSON: cannot tell which groups and topics it subscribes');
      }
      for (const consumer of body?.consumerDataSet ?? []) {
        need(needed, group(consumer.groupName), Permission.SUB);
        for (const sub of consumer.subscriptionDataSet ?? []) need(needed, sub.topic, Permission.SUB);
      }
      break;
    }
    case RequestCode.UNREGISTER_CLIENT:
    case RequestCode.GET_CONSUMER_LIST_BY_GROUP:
      need(needed, group(ext.consumerGroup), Permission.SUB);
      break;
    case RequestCode.UPDATE_CONSUMER_OFFSET:
      need(needed, group(ext.consumerGroup), Permission.SUB);
      need(needed, ext.topic, Permission.SUB);
      break;
    default:
      break;
  }
  return needed;
}

/** `127.0.0.1:1234` / `[::1]:1234` -> the address without port and brackets. */
function hostOf(remoteAddr: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(remoteAddr);
  if (v6) return v6[1]!;
  const at = remoteAddr.lastIndexOf(':');
  return at > 0 && remoteAddr.indexOf(':') === at ? remoteAddr.slice(0, at) : remoteAddr;
}

export class PlainAccessValidator {
  /**
   * `source.config` is read on every request, so a source whose config changes (a PlainAclFile edited at runtime)
   * is in force at once, with nothing to keep in step.
   */
  constructor(private readonly source: { readonly config: PlainAclConfig }) {}

  private get config(): PlainAclConfig {
    return this.source.config;
  }

  /** Returns when `request` from `remoteAddr` may pass; throws AclError saying why not. */
  validate(remoteAddr: string, request: RemotingCommand): void {
    const ip = hostOf(remoteAddr);
    if (this.config.globalWhiteRemoteAddresses.some((match) => match(ip))) return;
    const ext = request.extFields ?? {};
    const accessKey = ext[ACCESS_KEY];
    if (accessKey === undefined) throw new AclError('the request has no AccessKey: this broker checks ACL, sign requests with an access key and secret key');
    const account = this.config.accounts.get(accessKey);
    if (account === undefined) throw new AclError(`no ACL account for access key ${accessKey}`);
    if (account.whiteRemoteAddress(ip)) return;
    if (!this.signatureMatches(request, account)) throw new AclError(`signature check failed for access key ${accessKey}: wrong secret key, or the request was changed after signing`);
    if (ADMIN_CODES.has(request.code) && !account.admin) {
      throw new AclError(`request code ${request.code} needs an admin account, and access key ${accessKey} is not one`);
    }
    const needed = neededPermissions(request);
    if (needed.size === 0) return;
    if (((needed.get(TRACE_TOPIC) ?? 0) & Permission.PUB) !== 0) return;
    // An admin account without any topic or group entry may touch every resource.
    if (account.admin && account.resourcePerms.size === 0) return;
    for (const [resource, perm] of needed) {
      const isGroup = resource.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX);
      const owned = account.resourcePerms.get(resource) ?? (isGroup ? account.defaultGroupPerm : account.defaultTopicPerm);
      if (!checkPermission(perm, owned)) {
        const what = isGroup ? `group ${resource.slice(MixAll.RETRY_GROUP_TOPIC_PREFIX.length)}` : `topic ${resource}`;
        throw new AclError(`access key ${accessKey} has no ${permissionName(perm)} permission on ${what} (it has ${permissionName(owned)})`);
      }
    }
  }

  private signatureMatches(request: RemotingCommand, account: PlainAccount): boolean {
    const ext = request.extFields ?? {};
    const signature = ext[SIGNATURE];
    if (signature === undefined) return false;
    const body = request.bodyParts ?? request.body;
    if (aclSignature(ext, body, account.secretKey) === signature) return true;
    if (ext[UNIQUE_KEY_QUERY] === undefined) return false;
    const { [UNIQUE_KEY_QUERY]: _skipped, ...rest } = ext;
    return aclSignature(rest, body, account.secretKey) === signature;
  }
}

/** Plain ACL administration (codes 50-53, 4.9.x and 5.0.0-5.3.2), rocketmq-protocol.md §4.9. */
import { S, b, defineHeader, s, type HeaderOf } from './descriptor.js';

export const PlainAccessConfigRequestHeader = defineHeader('PlainAccessConfigRequestHeader', {
  accessKey: S,
  secretKey: s,
  whiteRemoteAddress: s,
  admin: b,
  defaultTopicPerm: s,
  defaultGroupPerm: s,
  topicPerms: s,
  groupPerms: s,
});
export type PlainAccessConfigRequestHeader = HeaderOf<typeof PlainAccessConfigRequestHeader>;

export const DeleteAccessConfigRequestHeader = defineHeader('DeleteAccessConfigRequestHeader', { accessKey: S });

export const GetBrokerAclConfigResponseHeader = defineHeader('GetBrokerAclConfigResponseHeader', {
  version: S,
  allAclFileVersion: s,
  brokerName: S,
  brokerAddr: S,
  clusterName: S,
});

export const UpdateGlobalWhiteAddrsConfigRequestHeader = defineHeader('UpdateGlobalWhiteAddrsConfigRequestHeader', {
  globalWhiteAddrs: S,
  aclFileFullPath: S,
});

/** mqadmin's flag letters, shared by the commands that take them. */
import { Flags } from '@oclif/core';

export const topicFlag = Flags.string({ char: 't', summary: 'Topic name.', required: true });
export const groupFlag = Flags.string({ char: 'g', summary: 'Consumer group name.', required: true });
export const producerGroupFlag = Flags.string({ char: 'g', summary: 'Producer group name.', required: true });
export const brokerAddrFlag = (summary = 'Broker address (host:port).') => Flags.string({ char: 'b', summary });
export const clusterFlag = (summary = 'Cluster name (every master of the cluster).') => Flags.string({ char: 'c', summary });

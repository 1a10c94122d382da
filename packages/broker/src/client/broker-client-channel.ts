/**
 * The managers key clients by an abstract ClientChannel; the broker gives each remoting connection exactly one,
 * kept on the connection, that also leads back to it (for NOTIFY_CONSUMER_IDS_CHANGED and other callbacks).
 */
import type { RemotingChannel } from '@rockit/remoting';
import type { ClientChannel } from '../managers/client-channel.js';

export interface BrokerClientChannel extends ClientChannel {
  readonly remoting: RemotingChannel;
}

const KEY = 'rockit.clientChannel';
let nextId = 0;

/** The ClientChannel of a connection (created on first use, the same object afterwards). */
export function clientChannelOf(channel: RemotingChannel): BrokerClientChannel {
  let c = channel.attributes.get(KEY) as BrokerClientChannel | undefined;
  if (c === undefined) {
    c = { id: `${channel.remoteAddress}#${++nextId}`, remoteAddress: channel.remoteAddress, remoting: channel };
    channel.attributes.set(KEY, c);
  }
  return c;
}

/** The connection behind a manager's ClientChannel (undefined for channels not made by the broker). */
export function remotingChannelOf(channel: ClientChannel): RemotingChannel | undefined {
  return (channel as Partial<BrokerClientChannel>).remoting;
}

/**
 * A client connection as the managers see it: only what identifies it. The broker adapts its remoting
 * channel to this (the same object must be passed for the same connection; tables are keyed by identity).
 */
export interface ClientChannel {
  /** Unique per connection. */
  readonly id: string;
  /** `ip:port` of the client. */
  readonly remoteAddress: string;
}

/** RocketMQ `ClientChannelInfo`: who is behind a channel, from its last heartbeat. */
export interface ClientChannelInfo {
  readonly channel: ClientChannel;
  /** `clientIP@instanceName[...]` from the heartbeat. */
  readonly clientId: string;
  /** LanguageCode name of the request (`JAVA`, `CPP`, `NODE_JS`, ...). */
  readonly language: string;
  /** MQVersion ordinal of the request. */
  readonly version: number;
  lastUpdateTimestamp: number;
}

/** Channels not heard from for this long are dropped (RocketMQ `CHANNEL_EXPIRED_TIMEOUT`). */
export const CHANNEL_EXPIRED_TIMEOUT = 1000 * 120;

export function newClientChannelInfo(
  channel: ClientChannel,
  clientId: string,
  language: string,
  version: number,
  now: number,
): ClientChannelInfo {
  return { channel, clientId, language, version, lastUpdateTimestamp: now };
}

/** Removes the entries idle longer than CHANNEL_EXPIRED_TIMEOUT from `table`, returning them. */
export function removeExpiredChannels(table: Map<ClientChannel, ClientChannelInfo>, now: number): ClientChannelInfo[] {
  const expired: ClientChannelInfo[] = [];
  for (const [channel, info] of table) {
    if (now - info.lastUpdateTimestamp > CHANNEL_EXPIRED_TIMEOUT) {
      table.delete(channel);
      expired.push(info);
    }
  }
  return expired;
}

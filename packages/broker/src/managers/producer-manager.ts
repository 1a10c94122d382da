import { createLogger, type Logger } from '@rockit/common';
import { newClientChannelInfo, removeExpiredChannels, type ClientChannel, type ClientChannelInfo } from './client-channel.js';

export interface ProducerManagerOptions {
  logger?: Logger;
  now?: () => number;
  /** Picks an index below `n` (transaction check-back target); random by default. */
  random?: (n: number) => number;
}

/**
 * RocketMQ `ProducerManager`: producer group -> channels from heartbeats, and client id -> channel; used for
 * GET_PRODUCER_CONNECTION_LIST and to pick a producer for transaction check-back.
 */
export class ProducerManager {
  private readonly groupChannelTable = new Map<string, Map<ClientChannel, ClientChannelInfo>>();
  private readonly clientChannelTable = new Map<string, ClientChannel>();
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly random: (n: number) => number;

  constructor(options: ProducerManagerOptions = {}) {
    this.logger = options.logger ?? createLogger('ProducerManager');
    this.now = options.now ?? Date.now;
    this.random = options.random ?? ((n) => Math.floor(Math.random() * n));
  }

  /** A ClientChannelInfo stamped with the manager's clock. */
  newClientChannelInfo(channel: ClientChannel, clientId: string, language: string, version: number): ClientChannelInfo {
    return newClientChannelInfo(channel, clientId, language, version, this.now());
  }

  /** HEART_BEAT producer data: adds the channel to the group or refreshes its timestamp. */
  registerProducer(group: string, info: ClientChannelInfo): void {
    let channels = this.groupChannelTable.get(group);
    if (!channels) {
      channels = new Map();
      this.groupChannelTable.set(group, channels);
    }
    const existing = channels.get(info.channel);
    if (existing) {
      existing.lastUpdateTimestamp = this.now();
    } else {
      channels.set(info.channel, info);
      this.clientChannelTable.set(info.clientId, info.channel);
      this.logger.info({ group, clientId: info.clientId, remoteAddress: info.channel.remoteAddress }, 'new producer connected');
    }
  }

  /** UNREGISTER_CLIENT for a producer group. */
  unregisterProducer(group: string, info: ClientChannelInfo): void {
    const channels = this.groupChannelTable.get(group);
    if (!channels) return;
    if (channels.delete(info.channel)) {
      this.forgetClient(info);
      this.logger.info({ group, clientId: info.clientId }, 'unregister producer');
    }
    if (channels.size === 0) this.groupChannelTable.delete(group);
  }

  /** A connection closed: removes it from every group. Returns the groups it was in. */
  doChannelCloseEvent(remoteAddress: string, channel: ClientChannel): string[] {
    const groups: string[] = [];
    for (const [group, channels] of [...this.groupChannelTable]) {
      const info = channels.get(channel);
      if (!info) continue;
      channels.delete(channel);
      this.forgetClient(info);
      groups.push(group);
      this.logger.info({ group, remoteAddress }, 'producer channel closed');
      if (channels.size === 0) this.groupChannelTable.delete(group);
    }
    return groups;
  }

  /** Drops channels idle for more than 120 s and returns them so the broker can close the connections. */
  scanNotActiveChannel(): ClientChannelInfo[] {
    const now = this.now();
    const all: ClientChannelInfo[] = [];
    for (const [group, channels] of [...this.groupChannelTable]) {
      for (const info of removeExpiredChannels(channels, now)) {
        this.forgetClient(info);
        this.logger.warn({ group, clientId: info.clientId, remoteAddress: info.channel.remoteAddress }, 'SCAN: remove expired producer channel');
        all.push(info);
      }
      if (channels.size === 0) this.groupChannelTable.delete(group);
    }
    return all;
  }

  private forgetClient(info: ClientChannelInfo): void {
    if (this.clientChannelTable.get(info.clientId) === info.channel) this.clientChannelTable.delete(info.clientId);
  }

  /** Channels of a producer group (GET_PRODUCER_CONNECTION_LIST); empty when unknown. */
  getGroupChannels(group: string): ClientChannelInfo[] {
    return [...(this.groupChannelTable.get(group)?.values() ?? [])];
  }

  /** group -> its channels (GET_ALL_PRODUCER_INFO). */
  getGroupChannelTable(): Map<string, ClientChannelInfo[]> {
    return new Map([...this.groupChannelTable].map(([g, channels]) => [g, [...channels.values()]]));
  }

  /** Some channel of the group, picked at random (transaction check-back). */
  getAvailableChannel(group: string): ClientChannel | undefined {
    const channels = [...(this.groupChannelTable.get(group)?.keys() ?? [])];
    return channels.length === 0 ? undefined : channels[this.random(channels.length)];
  }

  findChannel(clientId: string): ClientChannel | undefined {
    return this.clientChannelTable.get(clientId);
  }
}

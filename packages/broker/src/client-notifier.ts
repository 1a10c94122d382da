/**
 * Broker -> client callbacks (RocketMQ `Broker2Client`): NOTIFY_CONSUMER_IDS_CHANGED to every connection of a group
 * when its membership changes (each client then rebalances at once), RESET_CONSUMER_CLIENT_OFFSET for
 * INVOKE_BROKER_TO_RESET_OFFSET. Both are oneway; a dead connection is only logged.
 */
import type { Logger } from '@rockit/common';
import {
  NotifyConsumerIdsChangedRequestHeader,
  RemotingCommand,
  RequestCode,
  ResetOffsetRequestHeader,
  encodeHeader,
  type RemotingChannel,
} from '@rockit/remoting';

export class ClientNotifier {
  /** NOTIFY_CONSUMER_IDS_CHANGED calls sent (tests, runtime info). */
  notifiedTotal = 0;

  constructor(private readonly logger: Logger) {}

  notifyConsumerIdsChanged(group: string, channels: Iterable<RemotingChannel>): void {
    for (const channel of channels) {
      const request = RemotingCommand.createRequest(
        RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
        encodeHeader({ consumerGroup: group }, NotifyConsumerIdsChangedRequestHeader),
      ).markOneway();
      this.sendOneway(channel, request, group);
    }
  }

  /** RESET_CONSUMER_CLIENT_OFFSET with a ResetOffsetBody. */
  resetOffset(channel: RemotingChannel, header: { topic: string; group: string; timestamp: number; isForce: boolean }, body: Buffer): void {
    const request = RemotingCommand.createRequest(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, encodeHeader(header, ResetOffsetRequestHeader), body).markOneway();
    this.sendOneway(channel, request, header.group);
  }

  private sendOneway(channel: RemotingChannel, request: RemotingCommand, group: string): void {
    if (!channel.isOpen) return;
    try {
      channel.send(request);
      if (request.code === RequestCode.NOTIFY_CONSUMER_IDS_CHANGED) this.notifiedTotal++;
    } catch (err) {
      this.logger.warn({ err, group, client: channel.remoteAddress, code: request.code }, 'broker -> client call failed');
    }
  }
}

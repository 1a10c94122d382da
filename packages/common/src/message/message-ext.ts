import { MessageConst } from '../constants/message-const.js';
import { Message } from './message.js';
import { createOffsetMessageId } from './message-id.js';
import type { SocketAddress } from './socket-address.js';

const RAW = { raw: true } as const;
const UNKNOWN_HOST: SocketAddress = Object.freeze({ address: '0.0.0.0', port: 0 });

/**
 * A stored message as read back from the commit log or a pull/query body (`MessageExt` / `MessageClientExt`).
 * Offsets and timestamps are JS numbers (exact up to 2^53).
 */
export class MessageExt extends Message {
  queueId = 0;
  storeSize = 0;
  queueOffset = 0;
  sysFlag = 0;
  bornTimestamp = 0;
  bornHost: SocketAddress = UNKNOWN_HOST;
  storeTimestamp = 0;
  storeHost: SocketAddress = UNKNOWN_HOST;
  private offsetMsgIdText: string | undefined;
  commitLogOffset = 0;
  bodyCRC = 0;
  reconsumeTimes = 0;
  preparedTransactionOffset = 0;
  /** Magic code of the record (V1 or V2). */
  magicCode = 0;

  constructor(topic = '', body?: Buffer) {
    // A decoded message has exactly the stored properties: no WAIT=true default.
    super(topic, body, RAW);
  }

  /** Offset message id: store host + commit-log offset (§7.1); built on first use, so decoding stays cheap. */
  get offsetMsgId(): string {
    this.offsetMsgIdText ??= createOffsetMessageId(this.storeHost, this.commitLogOffset);
    return this.offsetMsgIdText;
  }

  set offsetMsgId(id: string) {
    this.offsetMsgIdText = id;
  }

  /** What clients call msgId: UNIQ_KEY when present, else the offset message id. */
  get msgId(): string {
    return this.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? this.offsetMsgId;
  }
}

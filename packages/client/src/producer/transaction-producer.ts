/**
 * TransactionProducer (RocketMQ `TransactionMQProducer`): sends a half message, runs the local transaction, then
 * tells the broker COMMIT / ROLLBACK / UNKNOW with a oneway END_TRANSACTION; answers the broker's
 * CHECK_TRANSACTION_STATE for messages left unknown with the check callback (§10).
 */
import { MessageConst, MessageSysFlag, decodeOffsetMessageId, type Message, type MessageExt } from '@rockit/common';
import type { CheckTransactionStateRequestHeader } from '@rockit/remoting';
import { MQClientError } from '../errors.js';
import { Producer, type ProducerOptions } from './producer.js';
import type { SendResult } from './send-result.js';

export type LocalTransactionState = 'COMMIT_MESSAGE' | 'ROLLBACK_MESSAGE' | 'UNKNOW';

export interface TransactionListener<A = unknown> {
  /** Runs after the half message is stored. Throwing counts as UNKNOW (the broker will check back). */
  executeLocalTransaction(msg: Message, arg: A): LocalTransactionState | Promise<LocalTransactionState>;
  /** The broker asks about a message whose outcome it does not know yet. */
  checkLocalTransaction(msg: MessageExt): LocalTransactionState | Promise<LocalTransactionState>;
}

export interface TransactionSendResult extends SendResult {
  localTransactionState: LocalTransactionState;
}

/** END_TRANSACTION's commitOrRollback value per state. */
const END_TRANSACTION_FLAG: Record<LocalTransactionState, number> = {
  COMMIT_MESSAGE: MessageSysFlag.TRANSACTION_COMMIT_TYPE,
  ROLLBACK_MESSAGE: MessageSysFlag.TRANSACTION_ROLLBACK_TYPE,
  UNKNOW: MessageSysFlag.TRANSACTION_NOT_TYPE,
};

export class TransactionProducer extends Producer {
  constructor(
    options: ProducerOptions,
    private readonly listener: TransactionListener,
  ) {
    super(options);
  }

  async sendMessageInTransaction<A>(msg: Message, arg?: A): Promise<TransactionSendResult> {
    this.checkRunning();
    // Delay levels do not apply to transactional messages.
    msg.clearProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    msg.putProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED, 'true');
    msg.putProperty(MessageConst.PROPERTY_PRODUCER_GROUP, this.group);
    const sent = await this.send(msg);
    let state: LocalTransactionState = 'UNKNOW';
    let localError: unknown;
    if (sent.sendStatus === 'SEND_OK') {
      const transactionId = msg.uniqKey ?? sent.msgId;
      msg.transactionId = transactionId;
      sent.transactionId ??= transactionId;
      try {
        state = await this.listener.executeLocalTransaction(msg, arg as A);
      } catch (err) {
        localError = err;
        this.logger.warn({ err, msgId: sent.msgId }, 'local transaction failed; leaving the outcome to the broker check');
      }
    } else {
      state = 'ROLLBACK_MESSAGE';
    }
    await this.endTransaction(sent, state, localError).catch((err: unknown) => {
      this.logger.warn({ err, msgId: sent.msgId }, 'END_TRANSACTION could not be sent; the broker will check back');
    });
    return { ...sent, localTransactionState: state };
  }

  private async endTransaction(sent: SendResult, state: LocalTransactionState, localError: unknown): Promise<void> {
    const addr = this.instance.findBrokerAddressInPublish(sent.messageQueue.brokerName);
    if (addr === undefined) throw new MQClientError(`the broker[${sent.messageQueue.brokerName}] does not exist`);
    await this.instance.api.endTransactionOneway(
      addr,
      {
        producerGroup: this.group,
        tranStateTableOffset: sent.queueOffset,
        commitLogOffset: decodeOffsetMessageId(sent.offsetMsgId).commitLogOffset,
        commitOrRollback: END_TRANSACTION_FLAG[state],
        fromTransactionCheck: false,
        msgId: sent.msgId,
        transactionId: sent.transactionId,
        bname: sent.messageQueue.brokerName,
      },
      localError === undefined ? undefined : `executeLocalTransactionBranch exception: ${String(localError)}`,
    );
  }

  /** CHECK_TRANSACTION_STATE: ask the listener, answer with END_TRANSACTION fromTransactionCheck=true. */
  checkTransactionState(brokerAddr: string, header: CheckTransactionStateRequestHeader, msg: MessageExt): void {
    void (async () => {
      let state: LocalTransactionState = 'UNKNOW';
      let remark: string | undefined;
      try {
        state = await this.listener.checkLocalTransaction(msg);
      } catch (err) {
        remark = `checkLocalTransactionState exception: ${String(err)}`;
        this.logger.warn({ err, msgId: msg.msgId }, 'transaction check failed');
      }
      const uniqueKey = msg.uniqKey ?? msg.msgId;
      await this.instance.api.endTransactionOneway(
        brokerAddr,
        {
          producerGroup: this.group,
          tranStateTableOffset: header.tranStateTableOffset,
          commitLogOffset: header.commitLogOffset,
          commitOrRollback: END_TRANSACTION_FLAG[state],
          fromTransactionCheck: true,
          msgId: uniqueKey,
          transactionId: header.transactionId ?? uniqueKey,
          bname: header.bname,
        },
        remark,
      );
    })().catch((err: unknown) => this.logger.warn({ err, brokerAddr }, 'answering a transaction check failed'));
  }
}

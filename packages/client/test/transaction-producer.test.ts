import {
  Message,
  MessageConst,
  MessageSysFlag,
  decodeOffsetMessageId,
  messageProperties2String,
  string2messageProperties,
  storedMessageLength,
  writeStoredMessage,
  type MessageExt,
} from '@rockit/common';
import { RemotingCommand, RemotingServer, RequestCode, EndTransactionRequestHeader, decodeHeader, encodeHeader, CheckTransactionStateRequestHeader, SendMessageRequestHeaderV2 } from '@rockit/remoting';
import { describe, expect, it } from 'vitest';
import { TransactionProducer, type LocalTransactionState } from '../src/index.js';
import { afterTest, createTopic, eventually, quietLogger, startTestCluster } from './helpers/cluster.js';


/** Records the END_TRANSACTION and SEND_MESSAGE_V2 requests the producer sends. */
function captureEndTransactions() {
  const seen: RemotingCommand[] = [];
  const sends: RemotingCommand[] = [];
  const hook = {
    doBeforeRequest(_addr: string, req: RemotingCommand): void {
      if (req.code === RequestCode.END_TRANSACTION) seen.push(req);
      if (req.code === RequestCode.SEND_MESSAGE_V2) sends.push(req);
    },
  };
  return { seen, sends, hook };
}

describe('TransactionProducer', () => {
  it.each<[LocalTransactionState, number]>([
    ['COMMIT_MESSAGE', MessageSysFlag.TRANSACTION_COMMIT_TYPE],
    ['ROLLBACK_MESSAGE', MessageSysFlag.TRANSACTION_ROLLBACK_TYPE],
    ['UNKNOW', MessageSysFlag.TRANSACTION_NOT_TYPE],
  ])('sends the half message with the prepared flags, runs the local transaction, then END_TRANSACTION %s (oneway)', async (state, flag) => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'TxTopic', 1, cluster.namesrvAddr);
    const { seen, sends, hook } = captureEndTransactions();
    let localRan: Message | undefined;
    const p = new TransactionProducer(
      { namesrvAddr: cluster.namesrvAddr, producerGroup: 'PG_tx', logger: quietLogger, rpcHook: hook },
      {
        executeLocalTransaction: (msg, arg) => {
          localRan = msg;
          expect(arg).toBe('my-arg');
          return state;
        },
        checkLocalTransaction: () => 'COMMIT_MESSAGE',
      },
    );
    await p.start();
    afterTest(() => p.shutdown());
    const msg = new Message('TxTopic', 'tx body', { tags: 'T' });
    msg.delayTimeLevel = 2; // ignored for transactional messages
    const result = await p.sendMessageInTransaction(msg, 'my-arg');
    expect(result.sendStatus).toBe('SEND_OK');
    expect(result.localTransactionState).toBe(state);
    expect(localRan?.transactionId).toBe(result.msgId);

    // The half message on the wire: PREPARED in the sysFlag, TRAN_MSG and PGROUP properties, no delay.
    const sent = decodeHeader(sends[0]!, SendMessageRequestHeaderV2);
    expect(sent.sysFlag & MessageSysFlag.TRANSACTION_ROLLBACK_TYPE).toBe(MessageSysFlag.TRANSACTION_PREPARED_TYPE);
    const props = string2messageProperties(sent.properties);
    expect(props.get(MessageConst.PROPERTY_TRANSACTION_PREPARED)).toBe('true');
    expect(props.get(MessageConst.PROPERTY_PRODUCER_GROUP)).toBe('PG_tx');
    expect(props.has(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe(false);

    await eventually(() => seen.length === 1, 'END_TRANSACTION');
    const end = seen[0]!;
    expect(end.isOneway).toBe(true);
    const h = decodeHeader(end, EndTransactionRequestHeader);
    expect(h).toMatchObject({
      producerGroup: 'PG_tx',
      tranStateTableOffset: result.queueOffset,
      commitLogOffset: decodeOffsetMessageId(result.offsetMsgId).commitLogOffset,
      commitOrRollback: flag,
      fromTransactionCheck: false,
      msgId: result.msgId,
    });
  });

  it('counts a throwing local transaction as UNKNOW and says why in the remark', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'TxThrow', 1, cluster.namesrvAddr);
    const { seen, hook } = captureEndTransactions();
    const p = new TransactionProducer(
      { namesrvAddr: cluster.namesrvAddr, producerGroup: 'PG_txthrow', logger: quietLogger, rpcHook: hook },
      {
        executeLocalTransaction: () => {
          throw new Error('db down');
        },
        checkLocalTransaction: () => 'UNKNOW',
      },
    );
    await p.start();
    afterTest(() => p.shutdown());
    const result = await p.sendMessageInTransaction(new Message('TxThrow', 'x'));
    expect(result.localTransactionState).toBe('UNKNOW');
    await eventually(() => seen.length === 1, 'END_TRANSACTION');
    expect(decodeHeader(seen[0]!, EndTransactionRequestHeader).commitOrRollback).toBe(0);
    expect(seen[0]!.remark).toContain('db down');
  });

  it('answers a broker CHECK_TRANSACTION_STATE with the check callback, as END_TRANSACTION fromTransactionCheck=true', async () => {
    // A stand-in broker: the rockit broker does not run transaction check-backs yet (issue #5).
    const server = new RemotingServer({ logger: quietLogger });
    const port = await server.listen(0, '127.0.0.1');
    afterTest(() => server.close());
    const ends: RemotingCommand[] = [];
    server.registerProcessor(RequestCode.END_TRANSACTION, (_ch, req) => {
      ends.push(req);
      return null;
    });
    const checked: MessageExt[] = [];
    const p = new TransactionProducer(
      { namesrvAddr: '127.0.0.1:1', producerGroup: 'PG_check', logger: quietLogger },
      {
        executeLocalTransaction: () => 'UNKNOW',
        checkLocalTransaction: (msg) => {
          checked.push(msg);
          return 'ROLLBACK_MESSAGE';
        },
      },
    );
    await p.start();
    afterTest(() => p.shutdown());
    const brokerAddr = `127.0.0.1:${port}`;
    await p.clientInstance.remoting.getChannel(brokerAddr);
    await eventually(() => server.channels.size === 1, 'the producer connected');

    const uniqKey = '7F00000100002A9F0000000000000ABC';
    const props = messageProperties2String(
      new Map([
        [MessageConst.PROPERTY_TRANSACTION_PREPARED, 'true'],
        [MessageConst.PROPERTY_PRODUCER_GROUP, 'PG_check'],
        [MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, uniqKey],
        [MessageConst.PROPERTY_TAGS, 'T'],
      ]),
    );
    const body = Buffer.from('half');
    const stored = Buffer.alloc(storedMessageLength(Buffer.byteLength('TxCheck'), body.length, Buffer.byteLength(props)));
    writeStoredMessage(
      stored,
      0,
      {
        topic: 'TxCheck',
        queueId: 0,
        flag: 0,
        body,
        propertiesString: props,
        sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE,
        bornTimestamp: Date.now(),
        bornHost: { address: '127.0.0.1', port: 5555 },
        storeHost: { address: '127.0.0.1', port },
        reconsumeTimes: 0,
        preparedTransactionOffset: 0,
        tagsCode: 0,
      },
      5,
      4242,
      Date.now(),
    );
    const check = RemotingCommand.createRequest(
      RequestCode.CHECK_TRANSACTION_STATE,
      encodeHeader({ tranStateTableOffset: 5, commitLogOffset: 4242, msgId: uniqKey, transactionId: uniqKey }, CheckTransactionStateRequestHeader),
      stored,
    );
    check.markOneway();
    [...server.channels][0]!.send(check);

    await eventually(() => ends.length === 1, 'END_TRANSACTION from the check');
    expect(checked[0]!.body.toString()).toBe('half');
    expect(checked[0]!.topic).toBe('TxCheck');
    expect(decodeHeader(ends[0]!, EndTransactionRequestHeader)).toMatchObject({
      producerGroup: 'PG_check',
      tranStateTableOffset: 5,
      commitLogOffset: 4242,
      commitOrRollback: MessageSysFlag.TRANSACTION_ROLLBACK_TYPE,
      fromTransactionCheck: true,
      msgId: uniqKey,
      transactionId: uniqKey,
    });
    expect(ends[0]!.isOneway).toBe(true);
  });
});

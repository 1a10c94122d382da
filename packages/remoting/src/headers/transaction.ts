/** Transactions: END_TRANSACTION (37, oneway) and CHECK_TRANSACTION_STATE (39, broker -> producer), §4.5. */
import { I, L, S, b, defineHeader, s, type HeaderOf } from './descriptor.js';

/** `commitOrRollback`: 0 = unknown, 8 = COMMIT, 12 = ROLLBACK (sysFlag values, §6.3). */
export const EndTransactionRequestHeader = defineHeader('EndTransactionRequestHeader', {
  producerGroup: S,
  tranStateTableOffset: L,
  commitLogOffset: L,
  commitOrRollback: I,
  fromTransactionCheck: b,
  msgId: S,
  transactionId: s,
  bname: s,
});
export type EndTransactionRequestHeader = HeaderOf<typeof EndTransactionRequestHeader>;

export const CheckTransactionStateRequestHeader = defineHeader('CheckTransactionStateRequestHeader', {
  tranStateTableOffset: L,
  commitLogOffset: L,
  msgId: s,
  transactionId: s,
  offsetMsgId: s,
  bname: s,
});
export type CheckTransactionStateRequestHeader = HeaderOf<typeof CheckTransactionStateRequestHeader>;

export const ResumeCheckHalfMessageRequestHeader = defineHeader('ResumeCheckHalfMessageRequestHeader', { msgId: s });

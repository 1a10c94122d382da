/** Queue selectors for ordered sending (RocketMQ `MessageQueueSelector` and its stock implementations). */
import { javaStringHashCode, type Message } from '@rockit/common';
import type { MessageQueue } from '../message-queue.js';

export type MessageQueueSelector<A = unknown> = (mqs: readonly MessageQueue[], msg: Message, arg: A) => MessageQueue;

/** `SelectMessageQueueByHash`: the same key always maps to the same queue while the queue count stays. */
export const selectMessageQueueByHash: MessageQueueSelector<unknown> = (mqs, _msg, arg) => {
  const hash = typeof arg === 'number' ? arg | 0 : javaStringHashCode(String(arg));
  return mqs[Math.abs(hash % mqs.length)]!;
};

/** `SelectMessageQueueByRandom`. */
export const selectMessageQueueByRandom: MessageQueueSelector<unknown> = (mqs) => mqs[Math.floor(Math.random() * mqs.length)]!;

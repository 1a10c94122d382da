/**
 * The message model and logger factory the client works with, re-exported so that tools built on the client (the
 * CLI plugins) need no direct dependency on @rockit/common.
 */
export { Message, MessageExt, MessageConst, MixAll, createLogger, type MessageInit, type Logger } from '@rockit/common';

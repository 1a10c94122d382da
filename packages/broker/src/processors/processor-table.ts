/** The broker's request table as data: request code -> handler, one family per file. */
import type { BrokerRequestHandler } from './context.js';
import { ACL_ADMIN_PROCESSORS } from './acl-admin.js';
import { ADMIN_PROCESSORS } from './admin.js';
import { BROKER_STATS_PROCESSORS } from './broker-stats-data.js';
import { CLIENT_MANAGE_PROCESSORS } from './client-manage.js';
import { CONSUMER_ADMIN_PROCESSORS } from './consumer-admin.js';
import { CONSUMER_OFFSET_PROCESSORS } from './consumer-offset.js';
import { LOCK_PROCESSORS } from './lock.js';
import { PULL_PROCESSORS } from './pull.js';
import { QUERY_PROCESSORS } from './query.js';
import { REPLY_PROCESSORS } from './reply.js';
import { SEND_PROCESSORS } from './send.js';
import { TRANSACTION_PROCESSORS } from '../transaction/end-transaction-processor.js';

export const BROKER_PROCESSORS: ReadonlyMap<number, BrokerRequestHandler> = new Map([
  ...SEND_PROCESSORS,
  ...REPLY_PROCESSORS,
  ...PULL_PROCESSORS,
  ...QUERY_PROCESSORS,
  ...CLIENT_MANAGE_PROCESSORS,
  ...CONSUMER_OFFSET_PROCESSORS,
  ...LOCK_PROCESSORS,
  ...ADMIN_PROCESSORS,
  ...ACL_ADMIN_PROCESSORS,
  ...BROKER_STATS_PROCESSORS,
  ...CONSUMER_ADMIN_PROCESSORS,
  ...TRANSACTION_PROCESSORS,
]);

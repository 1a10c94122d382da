export { createLogger, defaultLogLevel, type CreateLoggerOptions, type Logger } from './logger.js';

export * from './constants/message-const.js';
export * from './constants/message-sys-flag.js';
export * from './constants/perm-name.js';
export * from './constants/topic-validator.js';
export * from './constants/mix-all.js';
export * from './constants/delay-level.js';
export * from './constants/pull-sys-flag.js';

export * from './message/message.js';
export * from './message/message-ext.js';
export * from './message/message-properties.js';
export * from './message/socket-address.js';
export * from './message/message-codec.js';
export * from './message/message-batch.js';
export * from './message/message-id.js';
export * from './message/tag-hash.js';

export * from './json/fastjson.js';
export * from './java/java-hash-order.js';
export * from './java/properties.js';

export * from './protocol/route-data.js';
export * from './protocol/topic-config.js';
export * from './protocol/subscription-group-config.js';

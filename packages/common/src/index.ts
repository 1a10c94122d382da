export { createLogger, defaultLogLevel, type CreateLoggerOptions, type Logger } from './logger.js';

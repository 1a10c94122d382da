export {
  RockitCommand,
  type RockitFlags,
  type RockitArgs,
  type ConnectionSettings,
  type Credentials,
} from './rockit-command.js';
export { DEFAULT_NAMESRV_ADDR, parseNamesrvList, resolveNamesrv, type NamesrvSource } from './namesrv.js';
export {
  UsageError,
  formatErrorLine,
  errorToJson,
  exitCodeOf,
  responseCodeOf,
  type ResponseCodeError,
} from './errors.js';
export * from './render/index.js';
export { clientOptions } from './client-options.js';

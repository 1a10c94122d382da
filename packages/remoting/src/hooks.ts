import type { RemotingCommand } from './command.js';

/**
 * Runs around every request (RocketMQ's RPCHook). On a client: before a request is sent (ACL signing adds its
 * ext fields here) and after its response arrived. On a server: before a request reaches its processor (ACL
 * validation) and after the processor answered.
 *
 * Hooks are synchronous on purpose: they sit on the hot path of every call. A server-side `doBeforeRequest` may
 * reject a request by returning the response to send instead (or by throwing a RemotingCommandError).
 */
export interface RPCHook {
  doBeforeRequest?(remoteAddr: string, request: RemotingCommand): RemotingCommand | void;
  doAfterResponse?(remoteAddr: string, request: RemotingCommand, response: RemotingCommand | null): void;
}

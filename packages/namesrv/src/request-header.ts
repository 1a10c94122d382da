/**
 * Reading custom-header fields from a request's extFields the way RocketMQ's
 * `decodeCommandCustomHeader` does: a missing `@CFNotNull` field fails the request with
 * SYSTEM_ERROR naming the field; optional numbers and booleans fall back to their defaults.
 */
import { RemotingCommandError, type RemotingCommand } from '@rockit/remoting';

export function requiredString(request: RemotingCommand, field: string): string {
  const value = request.extFields?.[field];
  if (value === undefined || value === null) throw RemotingCommandError.systemError(`the custom field <${field}> is null`);
  return String(value);
}

export function optionalString(request: RemotingCommand, field: string): string | undefined {
  const value = request.extFields?.[field];
  return value === undefined || value === null ? undefined : String(value);
}

/** Java Long.parseLong: a malformed number is as bad as a missing one for a required field. */
export function requiredLong(request: RemotingCommand, field: string): number {
  const text = requiredString(request, field);
  if (!/^[+-]?\d+$/.test(text)) throw RemotingCommandError.systemError(`the custom field <${field}> is not a number: ${text}`);
  return Number(text);
}

export function optionalLong(request: RemotingCommand, field: string): number | undefined {
  const text = optionalString(request, field);
  return text !== undefined && /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** Boolean.parseBoolean: "true" in any case is true, anything else false. */
export function optionalBoolean(request: RemotingCommand, field: string): boolean | undefined {
  const text = optionalString(request, field);
  return text === undefined ? undefined : text.toLowerCase() === 'true';
}

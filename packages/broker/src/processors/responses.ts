/** Building responses: typed headers into extFields, and failures into RocketMQ codes with a remark. */
import {
  RemotingCommand,
  RemotingCommandError,
  ResponseCode,
  encodeHeader,
  errorResponse,
  type HeaderDescriptor,
} from '@rockit/remoting';
import { BrokerConfigError } from '../errors.js';

/** A SUCCESS (or `code`) response whose extFields hold `header` (written with its descriptor's wire keys). */
export function headerResponse(header: object, descriptor?: HeaderDescriptor, code: number = ResponseCode.SUCCESS, remark?: string): RemotingCommand {
  return RemotingCommand.createResponse(code, remark, encodeHeader(header, descriptor));
}

/** A SUCCESS response carrying `body`. */
export function bodyResponse(body: Buffer | string | undefined, code: number = ResponseCode.SUCCESS, remark?: string): RemotingCommand {
  const response = RemotingCommand.createResponse(code, remark);
  if (body !== undefined) response.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return response;
}

export function codeResponse(code: number, remark?: string): RemotingCommand {
  return RemotingCommand.createResponse(code, remark);
}

/** A failure thrown anywhere in a processor as the response to send (manager errors keep their code). */
export function failureResponse(err: unknown): RemotingCommand {
  if (err instanceof BrokerConfigError) return RemotingCommand.createResponse(err.code, err.message);
  return errorResponse(err);
}

/** Throws a RemotingCommandError: the processor table answers with `code` and `remark`. */
export function fail(code: number, remark: string): never {
  throw new RemotingCommandError(code, remark);
}

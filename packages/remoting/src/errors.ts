import { ResponseCode, responseCodeDescription, responseCodeName } from './codes.js';

/** Base of every remoting failure. */
export class RemotingError extends Error {
  override name = 'RemotingError';
}

/** The peer did not answer within the call's timeout. */
export class RemotingTimeoutError extends RemotingError {
  override name = 'RemotingTimeoutError';
  constructor(
    readonly addr: string,
    readonly timeoutMillis: number,
    readonly requestCode?: number,
  ) {
    super(`wait response on the channel <${addr}> timeout, ${timeoutMillis}(ms)`);
  }
}

/** A connection to the address could not be opened. */
export class RemotingConnectError extends RemotingError {
  override name = 'RemotingConnectError';
  constructor(
    readonly addr: string,
    options?: { cause?: unknown },
  ) {
    super(`connect to <${addr}> failed`, options);
  }
}

/** The request could not be written, or the connection closed before the response arrived. */
export class RemotingSendRequestError extends RemotingError {
  override name = 'RemotingSendRequestError';
  constructor(
    readonly addr: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`send request to <${addr}> failed: ${reason}`, options);
  }
}

/** A frame broke the protocol (bad length, malformed header); the connection that sent it is closed. */
export class RemotingProtocolError extends RemotingError {
  override name = 'RemotingProtocolError';
}

/**
 * A request failed with a RocketMQ response code. Processors throw it to answer with that code and remark;
 * callers receive it (as its subclass MQBrokerError) when a broker answers with a failure code.
 */
export class RemotingCommandError extends RemotingError {
  override name = 'RemotingCommandError';
  constructor(
    readonly code: number,
    readonly remark: string = responseCodeDescription(code),
  ) {
    super(`${responseCodeName(code)} (${code}): ${remark}`);
  }

  /** SYSTEM_ERROR with the given remark. */
  static systemError(remark: string): RemotingCommandError {
    return new RemotingCommandError(ResponseCode.SYSTEM_ERROR, remark);
  }
}

/** A broker (or name server) answered with a failure code. */
export class MQBrokerError extends RemotingCommandError {
  override name = 'MQBrokerError';
  constructor(
    code: number,
    remark?: string,
    readonly brokerAddr?: string,
  ) {
    super(code, remark ?? responseCodeDescription(code));
  }
}

/**
 * Returns `response` when its code is one of `okCodes` (default SUCCESS), else throws MQBrokerError with the
 * response's code and remark, so callers turn failure codes into typed errors in one line.
 */
export function checkResponse(
  response: { code: number; remark?: string | undefined },
  brokerAddr?: string,
  okCodes: readonly number[] = [ResponseCode.SUCCESS],
): typeof response {
  if (okCodes.includes(response.code)) return response;
  throw new MQBrokerError(response.code, response.remark, brokerAddr);
}

/**
 * Client errors. Every failure names what was asked (request code) and whom (broker or name server address),
 * so one log line is enough to tell which call failed where.
 */
import {
  MQBrokerError as RemotingMQBrokerError,
  RemotingTimeoutError,
  requestCodeName,
  responseCodeDescription,
  type RemotingCommand,
} from '@rockit/remoting';

/** A failure on the client side: bad arguments, no route, client not started, all retries spent. */
export class MQClientError extends Error {
  override name = 'MQClientError';
  constructor(
    message: string,
    /** The RocketMQ response code behind the failure, when there is one (-1 otherwise). */
    readonly code = -1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A broker or name server answered with a failure code. */
export class MQBrokerError extends RemotingMQBrokerError {
  override name = 'MQBrokerError';
  constructor(
    code: number,
    remark: string | undefined,
    brokerAddr: string,
    /** The request code of the call that failed. */
    readonly requestCode: number,
  ) {
    super(code, remark ?? responseCodeDescription(code), brokerAddr);
    this.message = `${this.message} [${requestName(requestCode)} to ${brokerAddr}]`;
  }

  /** The error for a failure `response` to a `request` sent to `addr`. */
  static of(addr: string, request: RemotingCommand, response: RemotingCommand): MQBrokerError {
    return new MQBrokerError(response.code, response.remark, addr, request.code);
  }
}

/** No answer within the call's timeout; names the peer and the request. */
export class MQClientTimeoutError extends RemotingTimeoutError {
  override name = 'MQClientTimeoutError';
  constructor(addr: string, timeoutMillis: number, requestCode: number) {
    super(addr, timeoutMillis, requestCode);
    this.message = `${requestName(requestCode)} to <${addr}> timed out after ${timeoutMillis} ms`;
  }
}

export function requestName(code: number): string {
  return requestCodeName(code);
}

import { RemotingCommandError, ResponseCode } from '@rockit/remoting';

/**
 * A manager refused an operation: `code` is the RocketMQ response code, `remark` the user-facing reason.
 * A RemotingCommandError, so a processor that lets it propagate answers with exactly that code and remark.
 */
export class BrokerOperationError extends RemotingCommandError {
  override name = 'BrokerOperationError';
}

/**
 * A broker.conf / flag / UPDATE_BROKER_CONFIG value that cannot be used; names the key. `code` is the
 * response code UPDATE_BROKER_CONFIG answers with (NO_PERMISSION for black-listed keys, else SYSTEM_ERROR).
 */
export class BrokerConfigError extends Error {
  override readonly name = 'BrokerConfigError';
  constructor(
    readonly key: string,
    message: string,
    readonly code: number = ResponseCode.SYSTEM_ERROR,
  ) {
    super(message);
  }
}

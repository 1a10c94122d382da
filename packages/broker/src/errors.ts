/**
 * Response codes the managers' failures map to (RocketMQ `ResponseCode`, protocol §3). Processors answer
 * with `error.code` and `error.remark`.
 */
export const ManagerResponseCode = {
  SYSTEM_ERROR: 1,
  NO_PERMISSION: 16,
  TOPIC_NOT_EXIST: 17,
  SUBSCRIPTION_GROUP_NOT_EXIST: 26,
} as const;

export type ManagerResponseCodeValue = (typeof ManagerResponseCode)[keyof typeof ManagerResponseCode];

/** A refused broker operation: `code` is the RocketMQ response code, `remark` the user-facing reason. */
export class BrokerOperationError extends Error {
  override readonly name = 'BrokerOperationError';
  constructor(
    readonly code: ManagerResponseCodeValue,
    readonly remark: string,
  ) {
    super(remark);
  }
}

/** A broker.conf / flag / UPDATE_BROKER_CONFIG value that cannot be used; names the key. */
export class BrokerConfigError extends Error {
  override readonly name = 'BrokerConfigError';
  constructor(
    readonly key: string,
    message: string,
    readonly code: ManagerResponseCodeValue = ManagerResponseCode.SYSTEM_ERROR,
  ) {
    super(message);
  }
}

import type { RemotingChannel } from './channel.js';
import { ResponseCode } from './codes.js';
import { RemotingCommand } from './command.js';
import { RemotingCommandError } from './errors.js';
import type { RPCHook } from './hooks.js';
import type { Logger } from './logger.js';

/**
 * Handles one request code. `channel` is the connection the request came on: its remote address, and the way
 * to call the peer back. Return the response (its opaque, flag and serialize type are filled in), or null to
 * send nothing. Throw a RemotingCommandError to answer with its code and remark; any other error answers
 * SYSTEM_ERROR with the error's message.
 */
export type RemotingProcessor = (
  channel: RemotingChannel,
  request: RemotingCommand,
) => Promise<RemotingCommand | null> | RemotingCommand | null;

/** The response for a processor or hook failure. */
export function errorResponse(err: unknown): RemotingCommand {
  if (err instanceof RemotingCommandError) return RemotingCommand.createResponse(err.code, err.remark);
  const remark = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, remark);
}

/**
 * Processors by request code plus RPC hooks: the request side shared by RemotingServer and RemotingClient
 * (a client serves the broker's callbacks on its own connections).
 */
export class ProcessorTable {
  private readonly processors = new Map<number, RemotingProcessor>();
  private defaultProcessor: RemotingProcessor | undefined = undefined;
  readonly hooks: RPCHook[] = [];

  constructor(private readonly logger: Logger) {}

  register(code: number, processor: RemotingProcessor): void {
    this.processors.set(code, processor);
  }
  setDefault(processor: RemotingProcessor | undefined): void {
    this.defaultProcessor = processor;
  }
  has(code: number): boolean {
    return this.processors.has(code) || this.defaultProcessor !== undefined;
  }

  /** Runs hooks and the processor for `request`, then answers on `channel` unless the request is oneway. */
  process(channel: RemotingChannel, request: RemotingCommand, runHooks: boolean): void {
    channel.beginRequest();
    let result: Promise<RemotingCommand | null> | RemotingCommand | null;
    try {
      result = (runHooks ? this.before(channel, request) : undefined) ?? this.invokeProcessor(channel, request);
    } catch (err) {
      result = this.failed(channel, request, err);
    }
    if (result instanceof Promise) {
      result.then(
        (response) => this.finish(channel, request, response, runHooks),
        (err: unknown) => this.finish(channel, request, this.failed(channel, request, err), runHooks),
      );
    } else {
      this.finish(channel, request, result, runHooks);
    }
  }

  /** The answer to a failed request; unexpected errors (not a RemotingCommandError) are logged. */
  private failed(channel: RemotingChannel, request: RemotingCommand, err: unknown): RemotingCommand {
    if (!(err instanceof RemotingCommandError)) {
      this.logger.warn({ err, remoteAddress: channel.remoteAddress, code: request.code }, 'request processing failed');
    }
    return errorResponse(err);
  }

  private before(channel: RemotingChannel, request: RemotingCommand): RemotingCommand | undefined {
    for (const hook of this.hooks) {
      const rejected = hook.doBeforeRequest?.(channel.remoteAddress, request);
      if (rejected) return rejected;
    }
    return undefined;
  }

  private invokeProcessor(channel: RemotingChannel, request: RemotingCommand) {
    const processor = this.processors.get(request.code) ?? this.defaultProcessor;
    if (processor === undefined) {
      return RemotingCommand.createResponse(
        ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
        ` request type ${request.code} not supported`,
      );
    }
    return processor(channel, request);
  }

  private finish(channel: RemotingChannel, request: RemotingCommand, response: RemotingCommand | null, runHooks: boolean): void {
    try {
      if (runHooks) {
        for (const hook of this.hooks) hook.doAfterResponse?.(channel.remoteAddress, request, response);
      }
    } catch (err) {
      response = errorResponse(err);
    }
    try {
      if (response != null && !request.isOneway && channel.isOpen) {
        response.opaque = request.opaque;
        response.markResponse();
        response.serializeType = request.serializeType;
        channel.send(response);
      } else if (request.isOneway && response != null && response.code !== ResponseCode.SUCCESS) {
        this.logger.debug({ code: request.code, response: response.code, remark: response.remark }, 'oneway request failed');
      }
    } catch (err) {
      this.logger.warn({ err, remoteAddress: channel.remoteAddress, code: request.code }, 'could not send response');
    } finally {
      channel.endRequest();
    }
  }
}

export * from './codes.js';
export * from './errors.js';
export { RemotingCommand, createOpaque, setDefaultSerializeType, type ExtFields } from './command.js';
export {
  DEFAULT_MAX_FRAME_SIZE,
  FrameDecoder,
  FrameEncoder,
  decodeFrame,
  encodeFrame,
  type FrameDecoderOptions,
} from './frame.js';
export { jsonHeaderText, parseJsonHeader, quoteJson } from './serialize/json.js';
export { readBinaryHeader, writeBinaryHeader } from './serialize/binary.js';
export { RemotingChannel, formatAddress, type ChannelHandler, type ResponseCallback } from './channel.js';
export { type RPCHook } from './hooks.js';
export { errorResponse, type RemotingProcessor } from './processor.js';
export { RemotingService, type RemotingServiceEvents } from './service.js';
export { RemotingServer, type RemotingServerOptions } from './server.js';
export { RemotingClient, parseAddress, type InvokeCallback, type RemotingClientOptions } from './client.js';
export * from './headers/index.js';

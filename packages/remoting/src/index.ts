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

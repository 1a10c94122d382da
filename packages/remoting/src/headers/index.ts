export {
  HeaderFields,
  decodeHeader,
  defineHeader,
  encodeHeader,
  formatLong,
  keyed,
  type FieldSpec,
  type FieldType,
  type HeaderDescriptor,
  type HeaderOf,
} from './descriptor.js';
export * from './acl.js';
export * from './admin.js';
export * from './client.js';
export * from './namesrv.js';
export * from './offset.js';
export * from './pull.js';
export * from './query.js';
export * from './send.js';
export * from './transaction.js';
export * from './table.js';

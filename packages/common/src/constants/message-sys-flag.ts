/** Bits of the record's SYSFLAG field (RocketMQ `MessageSysFlag`, protocol §6.3). */
export const MessageSysFlag = {
  COMPRESSED_FLAG: 0x1,
  MULTI_TAGS_FLAG: 0x2,
  TRANSACTION_NOT_TYPE: 0x0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  BORNHOST_V6_FLAG: 0x10,
  STOREHOSTADDRESS_V6_FLAG: 0x20,
  NEED_UNWRAP_FLAG: 0x40,
  INNER_BATCH_FLAG: 0x80,
  /** Mask of the compression-type bits 8..10 (4.9.4+); 0 means zlib for older senders. */
  COMPRESSION_TYPE_MASK: 0x700,
  COMPRESSION_LZ4_TYPE: 0x100,
  COMPRESSION_ZSTD_TYPE: 0x200,
  COMPRESSION_ZLIB_TYPE: 0x300,
} as const;

const TRANSACTION_MASK = 0xc;

export type CompressionType = 'ZLIB' | 'LZ4' | 'ZSTD';

export function getTransactionValue(sysFlag: number): number {
  return sysFlag & TRANSACTION_MASK;
}

export function resetTransactionValue(sysFlag: number, type: number): number {
  return (sysFlag & ~TRANSACTION_MASK) | type;
}

export function clearCompressedFlag(sysFlag: number): number {
  return sysFlag & ~MessageSysFlag.COMPRESSED_FLAG;
}

export function isCompressed(sysFlag: number): boolean {
  return (sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0;
}

export function isBornHostV6(sysFlag: number): boolean {
  return (sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) !== 0;
}

export function isStoreHostV6(sysFlag: number): boolean {
  return (sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) !== 0;
}

/** Compression algorithm named by the type bits; type 0 is zlib (senders before 4.9.4 set only bit 0). */
export function getCompressionType(sysFlag: number): CompressionType {
  switch (sysFlag & MessageSysFlag.COMPRESSION_TYPE_MASK) {
    case 0:
    case MessageSysFlag.COMPRESSION_ZLIB_TYPE:
      return 'ZLIB';
    case MessageSysFlag.COMPRESSION_LZ4_TYPE:
      return 'LZ4';
    case MessageSysFlag.COMPRESSION_ZSTD_TYPE:
      return 'ZSTD';
    default:
      throw new RangeError(`unknown compression type bits 0x${(sysFlag & 0x700).toString(16)} in sysFlag`);
  }
}

const COMPRESSION_TYPE_BITS: Record<CompressionType, number> = {
  ZLIB: MessageSysFlag.COMPRESSION_ZLIB_TYPE,
  LZ4: MessageSysFlag.COMPRESSION_LZ4_TYPE,
  ZSTD: MessageSysFlag.COMPRESSION_ZSTD_TYPE,
};

/** Sets COMPRESSED_FLAG and the type bits, as a 4.9.4+ producer does. */
export function setCompressionType(sysFlag: number, type: CompressionType): number {
  return (sysFlag & ~MessageSysFlag.COMPRESSION_TYPE_MASK) | COMPRESSION_TYPE_BITS[type] | MessageSysFlag.COMPRESSED_FLAG;
}

/** RocketMQ `UtilAll.offset2FileName`: the start offset zero-padded to 20 digits. */
export function offset2FileName(offset: number): string {
  return String(offset).padStart(20, '0');
}

export function isOffsetFileName(name: string): boolean {
  return /^\d{20}$/.test(name);
}

/** Thrown by writers when the disk refuses a write; the store turns read-only with this reason. */
export class StoreWriteError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreWriteError';
  }
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC') return 'disk full (ENOSPC)';
  if (e?.code === 'EDQUOT') return 'disk quota exceeded (EDQUOT)';
  if (e?.code) return `${e.code}: ${e.message}`;
  return String(err);
}

/** Topic / broker permission bits (RocketMQ `PermName`). */
export const PermName = {
  PERM_PRIORITY: 0x8,
  PERM_READ: 0x4,
  PERM_WRITE: 0x2,
  PERM_INHERIT: 0x1,
} as const;

export function isReadable(perm: number): boolean {
  return (perm & PermName.PERM_READ) === PermName.PERM_READ;
}

export function isWriteable(perm: number): boolean {
  return (perm & PermName.PERM_WRITE) === PermName.PERM_WRITE;
}

export function isInherited(perm: number): boolean {
  return (perm & PermName.PERM_INHERIT) === PermName.PERM_INHERIT;
}

export function isPriority(perm: number): boolean {
  return (perm & PermName.PERM_PRIORITY) === PermName.PERM_PRIORITY;
}

/** `perm2String`: "RWX" style, '-' for a missing right (R read, W write, X inherit). */
export function perm2String(perm: number): string {
  return (isReadable(perm) ? 'R' : '-') + (isWriteable(perm) ? 'W' : '-') + (isInherited(perm) ? 'X' : '-');
}

/** A permission value is valid when it has no bits outside R|W|X|priority. */
export function isValidPerm(perm: number): boolean {
  return Number.isInteger(perm) && (perm & ~0xf) === 0;
}

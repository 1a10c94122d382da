/** Plain ACL permissions (Permission.java facts): bits, parsing of "PUB|SUB" strings, and the check. */
export const Permission = {
  DENY: 1,
  ANY: 2,
  PUB: 4,
  SUB: 8,
} as const;

/** `DENY`, `PUB`, `SUB`, `PUB|SUB` / `SUB|PUB`; anything else is DENY. */
export function parsePermission(text: string): number {
  switch (text.trim().toUpperCase()) {
    case 'PUB':
      return Permission.PUB;
    case 'SUB':
      return Permission.SUB;
    case 'PUB|SUB':
    case 'SUB|PUB':
      return Permission.PUB | Permission.SUB;
    default:
      return Permission.DENY;
  }
}

/** Whether `owned` grants `needed`: never with DENY; ANY needs PUB or SUB; otherwise a shared bit. */
export function checkPermission(needed: number, owned: number): boolean {
  if ((owned & Permission.DENY) !== 0) return false;
  if ((needed & Permission.ANY) !== 0) return (owned & (Permission.PUB | Permission.SUB)) !== 0;
  return (needed & owned) !== 0;
}

export function permissionName(perm: number): string {
  if ((perm & Permission.DENY) !== 0) return 'DENY';
  const names = [(perm & Permission.PUB) !== 0 ? 'PUB' : '', (perm & Permission.SUB) !== 0 ? 'SUB' : '', (perm & Permission.ANY) !== 0 ? 'ANY' : ''].filter(Boolean);
  return names.join('|') || 'DENY';
}

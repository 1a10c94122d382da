/** Java `String.hashCode` (int32 over UTF-16 code units). */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Consume-queue tag code of a TAGS value (§6.6); 0 when there is no tag. */
export function tagsString2tagsCode(tags: string | undefined | null): number {
  return tags ? javaStringHashCode(tags) : 0;
}

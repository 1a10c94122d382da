/** Message lookups: QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33), rocketmq-protocol.md §4.4. */
import { I, L, S, defineHeader, type HeaderOf } from './descriptor.js';

/** Also carries ext `_UNIQUE_KEY_QUERY` ("true"/"false"), which is not a header field. */
export const QueryMessageRequestHeader = defineHeader('QueryMessageRequestHeader', {
  topic: S,
  key: S,
  maxNum: I,
  beginTimestamp: L,
  endTimestamp: L,
});
export type QueryMessageRequestHeader = HeaderOf<typeof QueryMessageRequestHeader>;

export const QueryMessageResponseHeader = defineHeader('QueryMessageResponseHeader', {
  indexLastUpdateTimestamp: L,
  indexLastUpdatePhyoffset: L,
});
export type QueryMessageResponseHeader = HeaderOf<typeof QueryMessageResponseHeader>;

/** `offset` = commit-log physical offset taken from the offset message id. */
export const ViewMessageRequestHeader = defineHeader('ViewMessageRequestHeader', { offset: L });
export type ViewMessageRequestHeader = HeaderOf<typeof ViewMessageRequestHeader>;

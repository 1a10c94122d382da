import { MessageConst, isSystemPropertyKey } from '../constants/message-const.js';
import { messageProperties2String } from './message-properties.js';

const K = MessageConst;
/** Shared empty body (never written to). */
const EMPTY_BODY = Buffer.alloc(0);

/**
 * A message as producers build it (`org.apache.rocketmq.common.message.Message`): topic, user flag, properties in
 * insertion order, body.
 */
export class Message {
  topic: string;
  flag: number;
  properties: Map<string, string>;
  body: Buffer;
  /** Set by transactional producers / consumers (= UNIQ_KEY); not a property. */
  transactionId?: string;

  constructor(topic = '', body: Buffer | string = EMPTY_BODY, init: MessageInit = {}) {
    this.topic = topic;
    this.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.flag = init.flag ?? 0;
    this.properties = new Map(init.properties);
    if (init.raw) return;
    if (init.tags !== undefined) this.tags = init.tags;
    if (init.keys !== undefined) this.keys = init.keys;
    // The Java constructor always stores WAIT=true; keep that so stored bytes match.
    this.waitStoreMsgOK = init.waitStoreMsgOK ?? true;
  }

  getProperty(name: string): string | undefined {
    return this.properties.get(name);
  }

  putProperty(name: string, value: string): void {
    this.properties.set(name, value);
  }

  clearProperty(name: string): void {
    this.properties.delete(name);
  }

  /** User properties may not be blank and may not use a reserved (system) name, as the Java client enforces. */
  putUserProperty(name: string, value: string): void {
    if (isSystemPropertyKey(name)) throw new RangeError(`The Property<${name}> is used by system, input another please`);
    if (name.trim().length === 0 || value.trim().length === 0) {
      throw new RangeError('The name or value of property can not be null or blank string!');
    }
    this.properties.set(name, value);
  }

  getUserProperty(name: string): string | undefined {
    return this.properties.get(name);
  }

  /** Properties that are not system properties, in insertion order. */
  userProperties(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of this.properties) if (!isSystemPropertyKey(k)) out.set(k, v);
    return out;
  }

  get tags(): string | undefined {
    return this.properties.get(K.PROPERTY_TAGS);
  }

  set tags(tags: string | undefined) {
    setOrClear(this.properties, K.PROPERTY_TAGS, tags);
  }

  /** The KEYS property split on the key separator (a space); empty tokens are dropped. */
  get keys(): string[] {
    const raw = this.properties.get(K.PROPERTY_KEYS);
    return raw ? raw.split(K.KEY_SEPARATOR).filter((k) => k.length > 0) : [];
  }

  /** A string is stored as is; an array is joined with the key separator. */
  set keys(keys: string | readonly string[] | undefined) {
    const joined = typeof keys === 'string' ? keys : keys?.join(K.KEY_SEPARATOR);
    setOrClear(this.properties, K.PROPERTY_KEYS, joined && joined.length > 0 ? joined : undefined);
  }

  /** Delay level (1..18 by default); 0 when unset. */
  get delayTimeLevel(): number {
    const v = this.properties.get(K.PROPERTY_DELAY_TIME_LEVEL);
    return v === undefined ? 0 : Number.parseInt(v, 10) || 0;
  }

  set delayTimeLevel(level: number) {
    setOrClear(this.properties, K.PROPERTY_DELAY_TIME_LEVEL, level > 0 ? String(level) : undefined);
  }

  /** WAIT: missing means true. */
  get waitStoreMsgOK(): boolean {
    return this.properties.get(K.PROPERTY_WAIT_STORE_MSG_OK) !== 'false';
  }

  set waitStoreMsgOK(wait: boolean) {
    this.properties.set(K.PROPERTY_WAIT_STORE_MSG_OK, String(wait));
  }

  get buyerId(): string | undefined {
    return this.properties.get(K.PROPERTY_BUYER_ID);
  }

  set buyerId(id: string | undefined) {
    setOrClear(this.properties, K.PROPERTY_BUYER_ID, id);
  }

  /** The client unique id (UNIQ_KEY), if set. */
  get uniqKey(): string | undefined {
    return this.properties.get(K.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
  }

  /** The properties string as sent/stored (§6.4). */
  propertiesString(): string {
    return messageProperties2String(this.properties);
  }
}

export interface MessageInit {
  /** Only the given properties: no tags/keys handling and no default WAIT=true (used by decoders). */
  raw?: boolean;
  flag?: number;
  tags?: string;
  keys?: string | readonly string[];
  waitStoreMsgOK?: boolean;
  properties?: Iterable<readonly [string, string]>;
}

function setOrClear(map: Map<string, string>, name: string, value: string | undefined): void {
  if (value === undefined) map.delete(name);
  else map.set(name, value);
}

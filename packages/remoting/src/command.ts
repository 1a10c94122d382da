import {
  DEFAULT_LANGUAGE,
  DEFAULT_VERSION,
  RPC_ONEWAY,
  RPC_TYPE_RESPONSE,
  ResponseCode,
  SerializeType,
  type SerializeTypeValue,
} from './codes.js';

/** Header fields as carried on the wire: string keys to string values, in wire order. */
export type ExtFields = Record<string, string>;

let nextOpaque = 0;
/** Request ids come from one process-wide counter, as in Java; responses are matched by value only. */
export function createOpaque(): number {
  nextOpaque = (nextOpaque + 1) | 0;
  return nextOpaque;
}

/** Process-wide default header serialization for commands rockit creates (peers may use either). */
let defaultSerializeType: SerializeTypeValue = SerializeType.JSON;
export function setDefaultSerializeType(type: SerializeTypeValue): void {
  defaultSerializeType = type;
}

/**
 * One remoting frame: a request or a response (rocketmq-protocol.md §2.4). `flag` bit 0 marks responses,
 * bit 1 oneway requests; `opaque` correlates a response with its request.
 */
export class RemotingCommand {
  code: number;
  /** LanguageCode byte value; -1 when the peer sent a language this side does not know. */
  language: number = DEFAULT_LANGUAGE;
  version: number = DEFAULT_VERSION;
  opaque = 0;
  flag = 0;
  remark: string | undefined = undefined;
  extFields: ExtFields | undefined = undefined;
  serializeType: SerializeTypeValue = defaultSerializeType;
  private joinedBody: Buffer | undefined = undefined;
  private parts: readonly Buffer[] | undefined = undefined;
  private partsLength = 0;

  constructor(code: number) {
    this.code = code;
  }

  static createRequest(code: number, extFields?: ExtFields, body?: Buffer): RemotingCommand {
    const cmd = new RemotingCommand(code);
    cmd.opaque = createOpaque();
    cmd.extFields = extFields;
    cmd.body = body;
    return cmd;
  }

  /** A response; its opaque and serialize type are set from the request when it is sent as the answer. */
  static createResponse(code: number = ResponseCode.SUCCESS, remark?: string, extFields?: ExtFields): RemotingCommand {
    const cmd = new RemotingCommand(code);
    cmd.flag = RPC_TYPE_RESPONSE;
    cmd.remark = remark;
    cmd.extFields = extFields;
    return cmd;
  }

  /** The response to `request`: same opaque, same serialize type. */
  static responseTo(request: RemotingCommand, code: number = ResponseCode.SUCCESS, remark?: string): RemotingCommand {
    const cmd = RemotingCommand.createResponse(code, remark);
    cmd.opaque = request.opaque;
    cmd.serializeType = request.serializeType;
    return cmd;
  }

  /** The body as one Buffer. A body set with `setBodyParts` is joined on first access (once). */
  get body(): Buffer | undefined {
    if (this.joinedBody === undefined && this.parts !== undefined) {
      this.joinedBody = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partsLength);
    }
    return this.joinedBody;
  }
  set body(body: Buffer | undefined) {
    this.joinedBody = body;
    this.parts = undefined;
  }

  /**
   * Sets the body as Buffers that go on the wire back to back, without joining them first: a pull or query
   * response made of stored records as they are. Writers take the parts as they are (see `bodyParts`).
   */
  setBodyParts(parts: readonly Buffer[], length?: number): this {
    let n = length ?? 0;
    if (length === undefined) for (const p of parts) n += p.length;
    this.joinedBody = undefined;
    this.parts = parts;
    this.partsLength = n;
    return this;
  }

  /** The parts given to `setBodyParts` (writers take them as they are); undefined when the body is one Buffer. */
  get bodyParts(): readonly Buffer[] | undefined {
    return this.parts;
  }

  get bodyLength(): number {
    if (this.parts !== undefined) return this.partsLength;
    return this.joinedBody === undefined ? 0 : this.joinedBody.length;
  }

  get isResponse(): boolean {
    return (this.flag & RPC_TYPE_RESPONSE) !== 0;
  }
  get isOneway(): boolean {
    return (this.flag & RPC_ONEWAY) !== 0;
  }
  markResponse(): this {
    this.flag |= RPC_TYPE_RESPONSE;
    return this;
  }
  markOneway(): this {
    this.flag |= RPC_ONEWAY;
    return this;
  }

  /** Sets one ext field, creating the map on first use. */
  addExtField(key: string, value: string): this {
    (this.extFields ??= {})[key] = value;
    return this;
  }
}

/**
 * RocketMQ `DataVersion`: a (timestamp, counter) pair bumped on every change of a table so name servers
 * and admin tools can tell whether what they hold is current. JSON form: `{"counter":n,"timestamp":ms}`.
 */
export class DataVersion {
  constructor(
    public timestamp: number = Date.now(),
    public counter: number = 0,
  ) {}

  /** `nextVersion()`: timestamp = now, counter + 1. */
  next(now: number = Date.now()): void {
    this.timestamp = now;
    this.counter += 1;
  }

  assign(other: DataVersion): void {
    this.timestamp = other.timestamp;
    this.counter = other.counter;
  }

  equals(other: DataVersion): boolean {
    return this.timestamp === other.timestamp && this.counter === other.counter;
  }

  clone(): DataVersion {
    return new DataVersion(this.timestamp, this.counter);
  }

  /** Compact fastjson form, as sent in headers (GET_BROKER_CONFIG `version`) and bodies. */
  toJSON(): { counter: number; timestamp: number } {
    return { counter: this.counter, timestamp: this.timestamp };
  }

  static from(value: unknown): DataVersion {
    const v = (value ?? {}) as { counter?: unknown; timestamp?: unknown };
    return new DataVersion(toSafeNumber(v.timestamp, 'timestamp'), toSafeNumber(v.counter, 'counter'));
  }
}

function toSafeNumber(v: unknown, field: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TypeError(`dataVersion.${field} is not an integer`);
  return n;
}

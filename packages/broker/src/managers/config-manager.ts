import { inJavaOrder, mapEntries, parseFastJson, toFastJson, type Logger } from '@rockit/common';
import { basename } from 'node:path';
import { ConfigFile, PersistScheduler, type ConfigFileSource } from '../config-file.js';
import { DataVersion } from '../data-version.js';

/** A `{"dataVersion":{…},"<table>":{name:{…}}}` file (topics.json, subscriptionGroup.json), parsed. */
export interface VersionedTable<T> {
  dataVersion: DataVersion | undefined;
  entries: T[];
}

/** Parses a versioned table file, reading each entry of `tableKey` with `readEntry` (which throws on bad data). */
export function parseVersionedTable<T>(text: string, fileName: string, tableKey: string, readEntry: (value: unknown, where: string) => T): VersionedTable<T> {
  const root = parseFastJson(text, { mapObjects: true });
  if (!(root instanceof Map)) throw new TypeError(`${fileName} is not an object`);
  const dv = root.get('dataVersion');
  const table = root.get(tableKey);
  const entries: T[] = [];
  if (table !== undefined && table !== null) {
    for (const [key, value] of mapEntries(table)) entries.push(readEntry(value, `${tableKey}.${String(key)}`));
  }
  return { dataVersion: dv === undefined || dv === null ? undefined : DataVersion.from(Object.fromEntries(mapEntries(dv))), entries };
}

/**
 * RocketMQ's `ConfigManager`: a table loaded from one file under `store/config/` at start and written back
 * (pretty fastjson, .tmp/.bak scheme) after changes. Writes are asynchronous and coalesced; `persist()`
 * resolves once the current content is durable.
 */
export abstract class ConfigManager<Parsed> {
  protected readonly file: ConfigFile;
  private readonly scheduler: PersistScheduler;

  constructor(
    path: string,
    protected readonly logger: Logger,
  ) {
    this.file = new ConfigFile(path);
    this.scheduler = new PersistScheduler(this.file, () => this.encode(true), (e) =>
      this.logger.error({ err: e, file: path }, 'persisting config file failed'),
    );
  }

  get path(): string {
    return this.file.path;
  }

  /** File content → parsed form; throws on anything unreadable (then `.bak` is tried). */
  protected abstract parse(text: string): Parsed;
  /** Merges a parsed file into the in-memory table. */
  protected abstract apply(parsed: Parsed): void;
  /** The table as fastjson text (pretty = the file format). */
  abstract encode(pretty?: boolean): string;

  /**
   * Loads the file (or its .bak). Returns where the content came from, undefined for a fresh store.
   * Throws ConfigFileCorruptError when neither is readable (RocketMQ refuses to start then, too).
   */
  load(): ConfigFileSource | undefined {
    const loaded = this.file.load((text) => this.parse(text));
    if (!loaded) return undefined;
    if (loaded.source === 'bak') {
      this.logger.warn({ file: this.file.path, reason: loaded.fileError?.message ?? 'missing' }, 'config file unreadable, loaded its .bak');
    }
    this.apply(loaded.value);
    return loaded.source;
  }

  /** Schedules a write of the current table without waiting for it. */
  requestPersist(): void {
    this.scheduler.request();
  }

  /** Writes the current table and resolves when it is on disk. */
  async persist(): Promise<void> {
    this.scheduler.request();
    await this.scheduler.flush();
  }

  /** Waits for writes already requested. */
  async flush(): Promise<void> {
    await this.scheduler.flush();
  }
}

export interface VersionedTableSpec<T> {
  /** Property holding the table (`topicConfigTable`, `subscriptionGroupTable`). */
  tableKey: string;
  /** Reads one table entry; throws on bad data. */
  readEntry: (value: unknown, where: string) => T;
  /** The entry's table key (its name). */
  keyOf: (entry: T) => string;
  /** Clock for DataVersion bumps. */
  now: () => number;
}

/**
 * A name -> entry table with a DataVersion that every change bumps, written as
 * `{"dataVersion":{…},"<tableKey>":{…}}` in RocketMQ's `ConcurrentHashMap(1024)` order.
 */
export abstract class VersionedTableManager<T> extends ConfigManager<VersionedTable<T>> {
  readonly dataVersion: DataVersion;
  protected readonly table = new Map<string, T>();

  constructor(
    path: string,
    logger: Logger,
    private readonly spec: VersionedTableSpec<T>,
  ) {
    super(path, logger);
    this.dataVersion = new DataVersion(spec.now(), 0);
  }

  get size(): number {
    return this.table.size;
  }

  /** A copy of the table in file order. */
  protected tableInFileOrder(): Map<string, T> {
    return inJavaOrder(this.table, 1024);
  }

  /** Bumps the data version and schedules a write. */
  protected changed(): void {
    this.dataVersion.next(this.spec.now());
    this.requestPersist();
  }

  encode(pretty = false): string {
    return toFastJson({ dataVersion: this.dataVersion.toJSON(), [this.spec.tableKey]: this.tableInFileOrder() }, { pretty });
  }

  protected parse(text: string): VersionedTable<T> {
    return parseVersionedTable(text, basename(this.path), this.spec.tableKey, this.spec.readEntry);
  }

  protected apply(parsed: VersionedTable<T>): void {
    for (const entry of parsed.entries) this.table.set(this.spec.keyOf(entry), entry);
    if (parsed.dataVersion) this.dataVersion.assign(parsed.dataVersion);
  }
}

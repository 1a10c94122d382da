import { createLogger, inJavaOrder, parseFastJson, toFastJson, type Logger } from '@rockit/common';
import { join } from 'node:path';
import { ConfigManager } from './config-manager.js';
import { parseIntKeyTable } from './consumer-offset-manager.js';

export interface DelayOffsetTableOptions {
  /** Directory holding delayOffset.json (`<storePathRootDir>/config`). */
  configDir: string;
  logger?: Logger;
}

/**
 * `delayOffset.json` (RocketMQ `ScheduleMessageService` / `DelayOffsetSerializeWrapper`): per delay level,
 * the next consume-queue offset of `SCHEDULE_TOPIC_XXXX` queue `level - 1` to deliver. Data only: the
 * ScheduleMessageService (`schedule/`) advances it.
 */
export class DelayOffsetTable extends ConfigManager<Map<number, number>> {
  private readonly table = new Map<number, number>();

  constructor(options: DelayOffsetTableOptions) {
    super(join(options.configDir, 'delayOffset.json'), options.logger ?? createLogger('DelayOffsetTable'));
  }

  /** Next offset to deliver for `delayLevel` (1-based); 0 when the level never delivered anything. */
  get(delayLevel: number): number {
    return this.table.get(delayLevel) ?? 0;
  }

  set(delayLevel: number, offset: number): void {
    this.table.set(delayLevel, offset);
  }

  /** A copy (delay level -> offset) in file order (`ConcurrentHashMap(32)`). */
  get offsetTable(): Map<number, number> {
    return inJavaOrder(this.table, 32);
  }

  encode(pretty = false): string {
    return toFastJson({ offsetTable: this.offsetTable }, { pretty });
  }

  protected parse(text: string): Map<number, number> {
    const root = parseFastJson(text, { mapObjects: true });
    if (!(root instanceof Map)) throw new TypeError('delayOffset.json is not an object');
    const table = root.get('offsetTable');
    return table === undefined || table === null ? new Map() : parseIntKeyTable(table, 'offsetTable');
  }

  protected apply(parsed: Map<number, number>): void {
    for (const [level, offset] of parsed) this.table.set(level, offset);
  }
}

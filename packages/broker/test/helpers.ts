import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@rockit/common';

/** The real RocketMQ 4.9.8 store fixture (read-only). */
export const FIXTURE_DIR = fileURLToPath(new URL('../../../../shared/fixtures/rocketmq-4.9.8-store/', import.meta.url));
export const FIXTURE_CONFIG_DIR = join(FIXTURE_DIR, 'store', 'config');
export const FIXTURE_BROKER_CONF = join(FIXTURE_DIR, 'broker.conf');

export const silentLogger = createLogger('broker-test', { level: 'silent' });

/** A fresh temp dir; returns it and a cleanup function. */
export function tempDir(prefix = 'rockit-broker-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A writable copy of the fixture's store/config directory. */
export function copyFixtureConfig(dir: string): string {
  const target = join(dir, 'config');
  cpSync(FIXTURE_CONFIG_DIR, target, { recursive: true });
  return target;
}

/** A controllable clock. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void; set: (t: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (v) => void (t = v) };
}

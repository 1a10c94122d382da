import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bodyCrc32, createLogger } from '@rockit/common';
import { RemotingCommand, RequestCode, decodeFrame } from '@rockit/remoting';
import { NamesrvController, encodeRegisterBrokerBody, type NamesrvConfig, type TopicConfig } from '@rockit/namesrv';

export const silentLogger = createLogger('namesrv-test', { level: 'silent' });

export interface RecordedFrame {
  source: string;
  from: string;
  to: string;
  serializeType: 'JSON' | 'ROCKETMQ';
  code: number;
  isResponse: boolean;
  oneway: boolean;
  opaque: number;
  requestCode: number;
  connection: number;
  header: { extFields?: Record<string, string>; remark?: string; version: number };
  hex: string;
}

const framesUrl = new URL('../../../../shared/fixtures/wire/frames.jsonl', import.meta.url);

/** Frames captured from a real 4.9.8 name server (read in place, never modified). */
export function namesrvFrames(): RecordedFrame[] {
  return readFileSync(framesUrl, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RecordedFrame)
    .filter((f) => f.from === 'namesrv' || f.to === 'namesrv');
}

export function decodeRecorded(frame: RecordedFrame): RemotingCommand {
  const buf = Buffer.from(frame.hex, 'hex');
  return decodeFrame(buf, 0, buf.length);
}

/** The recorded response to a recorded request (same connection and opaque), if it was kept. */
export function responseTo(frames: RecordedFrame[], request: RecordedFrame): RecordedFrame | undefined {
  return frames.find(
    (f) => f.isResponse && f.from === 'namesrv' && f.connection === request.connection && f.opaque === request.opaque,
  );
}

/** A temp dir for a name server's files; `cleanup()` removes it. */
export function tempNamesrvDir(): { dir: string; config: Partial<NamesrvConfig>; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rockit-namesrv-'));
  return {
    dir,
    config: { kvConfigPath: join(dir, 'kvConfig.json'), configStorePath: join(dir, 'namesrv.properties') },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A name server on a free loopback port with its files in a temp dir. */
export async function startNamesrv(config: Partial<NamesrvConfig> = {}): Promise<{
  controller: NamesrvController;
  addr: string;
  dir: string;
  close(): Promise<void>;
}> {
  const tmp = tempNamesrvDir();
  const controller = new NamesrvController({ ...tmp.config, listenPort: 0, bindAddress: '127.0.0.1', ...config }, { logger: silentLogger });
  try {
    await controller.start();
  } catch (err) {
    tmp.cleanup();
    throw err;
  }
  return {
    controller,
    addr: controller.address,
    dir: tmp.dir,
    close: async () => {
      await controller.shutdown();
      tmp.cleanup();
    },
  };
}

export function topicConfig(topicName: string, queues = 4): TopicConfig {
  return { topicName, readQueueNums: queues, writeQueueNums: queues, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false };
}

export interface BrokerIdentity {
  /** Topic -> queue number; defaults to 4 queues per topic. */
  queues?: Record<string, number>;
  brokerName?: string;
  brokerId?: number;
  brokerAddr?: string;
  clusterName?: string;
  counter?: number;
  compressed?: boolean;
}

/** A REGISTER_BROKER request as a 4.9.8 broker sends it. */
export function registerRequest(topics: string[], b: BrokerIdentity = {}): RemotingCommand {
  const compressed = b.compressed ?? false;
  const body = encodeRegisterBrokerBody(
    {
      topicConfigSerializeWrapper: {
        dataVersion: { timestamp: 1_700_000_000_000, counter: b.counter ?? 1 },
        topicConfigTable: new Map(topics.map((t) => [t, topicConfig(t, b.queues?.[t])])),
      },
      filterServerList: [],
    },
    compressed,
  );
  const brokerAddr = b.brokerAddr ?? '127.0.0.1:10911';
  return RemotingCommand.createRequest(
    RequestCode.REGISTER_BROKER,
    {
      brokerName: b.brokerName ?? 'broker-a',
      brokerAddr,
      clusterName: b.clusterName ?? 'DefaultCluster',
      haServerAddr: brokerAddr.replace(/:\d+$/, ':10912'),
      brokerId: String(b.brokerId ?? 0),
      compressed: String(compressed),
      bodyCrc32: String(bodyCrc32(body)),
    },
    body,
  );
}

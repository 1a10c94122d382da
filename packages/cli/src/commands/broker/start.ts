import { Flags } from '@oclif/core';
import { logLevelFlag } from '../../lifecycle/flags.js';
import { RockitCommand } from '../../rockit-command.js';

export default class BrokerStart extends RockitCommand<typeof BrokerStart> {
  static override summary = 'Run a broker in the foreground (RocketMQ mqbroker).';
  static override description =
    'Reads a RocketMQ broker.conf (-c) and registers with the name servers from -n, else namesrvAddr in the file, ' +
    'else $NAMESRV_ADDR, else 127.0.0.1:9876. Logs pino JSON lines to stdout. SIGINT/SIGTERM shut it down cleanly: ' +
    'parked pulls answered, offsets and configs persisted, the store flushed, then UNREGISTER_BROKER.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c conf/broker.conf',
    '<%= config.bin %> <%= command.id %> -c conf/broker.conf -n 127.0.0.1:9876 --port 10921 --data-dir /data/broker-b',
    '<%= config.bin %> <%= command.id %> -c conf/broker.conf --acl conf/plain_acl.yml',
  ];
  static override enableJsonFlag = false;

  static override flags = {
    config: Flags.string({ char: 'c', summary: 'broker.conf file (RocketMQ key names: brokerName, listenPort, storePathRootDir, ...).' }),
    port: Flags.integer({ char: 'p', summary: 'Port to listen on (overrides listenPort) [default: 10911].', min: 0, max: 65534 }),
    'data-dir': Flags.string({ summary: 'Store root directory (overrides storePathRootDir) [default: ~/store].' }),
    memory: Flags.boolean({ summary: 'Keep messages in memory (topic, group and offset files still go to the data dir).' }),
    acl: Flags.string({ summary: 'Check plain ACL with this plain_acl.yml (sets aclEnable=true) [default with aclEnable=true in -c: $ROCKETMQ_HOME/conf/plain_acl.yml].' }),
    'log-level': logLevelFlag(),
  };

  async run(): Promise<void> {
    const { createLogger } = await import('@rockit/common');
    const { BrokerController, BrokerConfig } = await import('@rockit/broker');
    const { mkdirSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const { explainListenError } = await import('../../lifecycle/listen-error.js');
    const { acquirePidLock } = await import('../../lifecycle/pid-lock.js');
    const { exitSoonAfterShutdown, untilShutdownSignal } = await import('../../lifecycle/signals.js');
    const { flags } = this;
    const config = BrokerConfig.load({
      ...(flags.config !== undefined ? { file: flags.config } : {}),
      overrides: {
        listenPort: flags.port,
        storePathRootDir: flags['data-dir'],
        namesrvAddr: this.namesrvSource === 'flag' ? this.namesrvAddrs.join(';') : undefined,
        ...(flags.acl !== undefined ? { aclEnable: true } : {}),
      },
    });
    // Like mqbroker, but a broker nobody can find is no use: fall back to the local default name server.
    config.namesrvAddr ??= this.namesrvAddrs.join(';');
    const logger = createLogger('BrokerController', flags['log-level'] ? { level: flags['log-level'] } : {});
    // Two brokers appending to one commitlog would corrupt it (Java brokers flock storePathRootDir/lock).
    mkdirSync(config.storePathRootDir, { recursive: true });
    const lock = acquirePidLock(join(config.storePathRootDir, 'rockit-broker.pid'), 'broker', 'rockit');
    const broker = new BrokerController({ config, memory: flags.memory, logger, ...(flags.acl !== undefined ? { aclConfigFile: resolve(flags.acl) } : {}) });
    const stopped = untilShutdownSignal();
    try {
      await broker.start();
    } catch (err) {
      await broker.shutdown().catch(() => undefined);
      lock.release();
      throw explainListenError(err, [{ port: config.listenPort, what: `broker ${config.brokerName}`, flag: '--port' }]);
    }
    const signal = await stopped;
    logger.info({ signal }, 'shutting down the broker');
    await broker.shutdown();
    lock.release();
    exitSoonAfterShutdown(0);
  }
}

import { Flags } from '@oclif/core';
import { logLevelFlag } from '../../lifecycle/flags.js';
import { RockitCommand } from '../../rockit-command.js';

export default class NamesrvStart extends RockitCommand<typeof NamesrvStart> {
  static override summary = 'Run a name server in the foreground (RocketMQ mqnamesrv).';
  static override description =
    'Reads a RocketMQ-style namesrv.properties (-c), logs pino JSON lines to stdout, and stops cleanly on ' +
    'SIGINT/SIGTERM. Without --data-dir the KV config lives in ~/namesrv/kvConfig.json, as RocketMQ keeps it.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -c conf/namesrv.properties --port 9877',
  ];
  static override enableJsonFlag = false;

  static override flags = {
    config: Flags.string({ char: 'c', summary: 'namesrv.properties file (RocketMQ key names: listenPort, kvConfigPath, ...).' }),
    port: Flags.integer({ char: 'p', summary: 'Port to listen on (overrides listenPort) [default: 9876].', min: 0, max: 65535 }),
    'bind-address': Flags.string({ summary: 'Address to listen on (overrides bindAddress) [default: 0.0.0.0].' }),
    'data-dir': Flags.string({ summary: 'Directory for kvConfig.json and namesrv.properties (overrides kvConfigPath, configStorePath).' }),
    'log-level': logLevelFlag(),
  };

  async run(): Promise<void> {
    const { join } = await import('node:path');
    const { createLogger } = await import('@rockit/common');
    const { NamesrvController, loadNamesrvConfig } = await import('@rockit/namesrv');
    const { explainListenError } = await import('../../lifecycle/listen-error.js');
    const { exitSoonAfterShutdown, untilShutdownSignal } = await import('../../lifecycle/signals.js');
    const { flags } = this;
    const dataDir = flags['data-dir'];
    const config = loadNamesrvConfig(flags.config, {
      ...(flags.port !== undefined ? { listenPort: flags.port } : {}),
      ...(flags['bind-address'] !== undefined ? { bindAddress: flags['bind-address'] } : {}),
      ...(dataDir !== undefined ? { kvConfigPath: join(dataDir, 'kvConfig.json'), configStorePath: join(dataDir, 'namesrv.properties') } : {}),
    });
    const logger = createLogger('NamesrvController', flags['log-level'] ? { level: flags['log-level'] } : {});
    const namesrv = new NamesrvController(config, { logger });
    const stopped = untilShutdownSignal();
    try {
      await namesrv.start();
    } catch (err) {
      throw explainListenError(err, [{ port: config.listenPort, what: 'name server', flag: '--port' }]);
    }
    const signal = await stopped;
    logger.info({ signal }, 'shutting down the name server');
    await namesrv.shutdown();
    exitSoonAfterShutdown(0);
  }
}

import { Flags } from '@oclif/core';
import { logLevelFlag } from '../lifecycle/flags.js';
import { RockitCommand } from '../rockit-command.js';

/** What `rockit dev --json` prints once the servers are up. */
export interface DevEndpoints {
  namesrvAddr: string;
  brokers: { brokerName: string; addr: string; clusterName: string }[];
  dataDir: string;
  store: 'file' | 'memory';
  pid: number;
}

export default class Dev extends RockitCommand<typeof Dev> {
  static override summary = 'Run a name server and a broker in one process for development.';
  static override description =
    'Starts a name server on 127.0.0.1:9876 and a broker on 10911 with data in ~/.rockit/dev, prints the endpoints ' +
    'and how to point clients at them, and runs until Ctrl-C (SIGINT) or SIGTERM, which shut it down cleanly: ' +
    'offsets and configs persisted, the store flushed, the broker unregistered. Data is kept for the next start.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --memory --namesrv-port 19876 --broker-port 20911',
    '<%= config.bin %> <%= command.id %> -c conf/broker.conf -t Orders -t Payments',
    '<%= config.bin %> <%= command.id %> --acl conf/plain_acl.yml',
  ];

  static override flags = {
    'data-dir': Flags.string({ summary: 'Where the store and configs live [default: ~/.rockit/dev].' }),
    'namesrv-port': Flags.integer({ summary: 'Name server port on 127.0.0.1.', default: 9876, min: 0, max: 65535 }),
    'broker-port': Flags.integer({ summary: 'Broker port [default: 10911, or listenPort from -c].', min: 0, max: 65534 }),
    memory: Flags.boolean({ summary: 'Keep messages in memory (lost at exit; configs still go to the data dir).' }),
    config: Flags.string({ char: 'c', summary: 'A broker.conf whose keys (brokerName, flushDiskType, ...) override the dev defaults.' }),
    topic: Flags.string({ char: 't', summary: 'Create this topic at start (repeatable): clients such as ali-ons do not auto-create topics.', multiple: true }),
    acl: Flags.string({ summary: 'Check plain ACL with this plain_acl.yml (sets aclEnable=true): clients must sign their requests.' }),
    'log-level': logLevelFlag('Server log level; lines go to stderr.', 'warn'),
  };

  async run(): Promise<DevEndpoints | undefined> {
    const { mkdirSync } = await import('node:fs');
    const { homedir } = await import('node:os');
    const { join, resolve } = await import('node:path');
    const { createLogger } = await import('@rockit/common');
    const { startEmbeddedCluster } = await import('@rockit/broker');
    const { explainListenError, PortInUseError } = await import('../lifecycle/listen-error.js');
    const { HeldBackStream } = await import('../lifecycle/held-back-stream.js');
    const { acquirePidLock } = await import('../lifecycle/pid-lock.js');
    const { exitSoonAfterShutdown, untilShutdownSignal } = await import('../lifecycle/signals.js');
    const { devBanner } = await import('../lifecycle/dev-banner.js');
    const { flags } = this;

    const dataDir = resolve(flags['data-dir'] ?? join(homedir(), '.rockit', 'dev'));
    mkdirSync(dataDir, { recursive: true });
    const lock = acquirePidLock(join(dataDir, 'dev.pid'), 'rockit dev', 'rockit');
    // Held back until the servers are up: a port in use must read as one line, not as the server's error log too.
    const log = new HeldBackStream(process.stderr);
    const logger = createLogger('rockit-dev', { level: flags['log-level'], destination: log });
    const stopped = untilShutdownSignal();
    const brokerPort = flags['broker-port'];
    let cluster;
    try {
      cluster = await startEmbeddedCluster({
        dataDir,
        memory: flags.memory,
        namesrvPort: flags['namesrv-port'],
        // 10911 is a default the broker.conf may change; an explicit --broker-port wins over the file.
        ...(brokerPort === undefined ? { brokerPort: 10911 } : {}),
        ...(brokerPort !== undefined || flags.acl !== undefined
          ? { brokerConfig: { ...(brokerPort !== undefined ? { listenPort: brokerPort } : {}), ...(flags.acl !== undefined ? { aclEnable: true } : {}) } }
          : {}),
        ...(flags.acl !== undefined ? { aclConfigFile: resolve(flags.acl) } : {}),
        ...(flags.config !== undefined ? { brokerConfigFile: flags.config } : {}),
        topics: flags.topic ?? [],
        logger,
      });
    } catch (err) {
      lock.release();
      const explained = explainListenError(err, [
        { port: flags['namesrv-port'], what: 'name server', flag: '--namesrv-port' },
        { port: brokerPort ?? 10911, what: 'broker', flag: '--broker-port' },
      ]);
      if (!(explained instanceof PortInUseError)) log.release();
      throw explained;
    }

    log.release();
    const endpoints: DevEndpoints = {
      namesrvAddr: cluster.namesrvAddr,
      brokers: cluster.brokers.map((b) => ({ brokerName: b.brokerName, addr: b.addr, clusterName: b.controller.config.brokerClusterName })),
      dataDir,
      store: flags.memory ? 'memory' : 'file',
      pid: process.pid,
    };
    if (this.jsonEnabled()) this.logJson(endpoints);
    else this.log(devBanner(endpoints, { topics: flags.topic ?? [], commands: this.config.commands.map((c) => c.id) }));

    const signal = await stopped;
    if (!this.jsonEnabled()) this.logToStderr(`${signal}: shutting down (flushing the store, persisting offsets, unregistering)...`);
    await cluster.close();
    lock.release();
    if (!this.jsonEnabled()) this.logToStderr('rockit dev stopped');
    exitSoonAfterShutdown(0);
    return undefined;
  }
}

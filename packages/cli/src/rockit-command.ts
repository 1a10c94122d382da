import { Command, Errors, Flags, ux, type Interfaces } from '@oclif/core';
import { errorToJson, exitCodeOf, formatErrorLine, UsageError } from './errors.js';
import { resolveNamesrv, type NamesrvSource } from './namesrv.js';
import { resolveColorLevel, setColorLevel } from './render/color.js';
import { jsonReplacer } from './render/format.js';

export type RockitFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof RockitCommand)['baseFlags'] & T['flags']>;
export type RockitArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** ACL credentials (plain_acl.yml accessKey / secretKey) for clusters with ACL enabled. */
export interface Credentials {
  accessKey: string;
  secretKey: string;
}

/** Everything a command needs to reach a cluster, resolved from flags and environment. */
export interface ConnectionSettings {
  namesrvAddrs: string[];
  namesrvSource: NamesrvSource;
  timeoutMillis: number;
  credentials?: Credentials;
}

const GLOBAL = 'GLOBAL';

/** `--no-color` / `--color` as typed, for the colour decision made before flags are parsed. */
function colorFlagInArgv(argv: readonly string[]): boolean | undefined {
  let flag: boolean | undefined;
  for (const arg of argv) {
    if (arg === '--') break;
    if (arg === '--no-color') flag = false;
    else if (arg === '--color') flag = true;
  }
  return flag;
}

function debugEnabled(): boolean {
  const debug = process.env.DEBUG;
  return debug !== undefined && debug !== '' && debug !== '0' && debug !== 'false';
}

/**
 * The base of every rockit command. Subclasses declare `flags`/`args` as usual, implement
 * `run()` returning the data that `--json` prints, and read `this.flags`, `this.args`,
 * `this.namesrvAddrs` and `this.connection()`. Heavy modules (client, broker) belong in
 * dynamic imports inside `run()`: every command module is loaded for `rockit --help`.
 */
export abstract class RockitCommand<T extends typeof Command = typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    namesrv: Flags.string({
      char: 'n',
      summary: 'Name server address(es), host:port separated by ";" [default: $NAMESRV_ADDR, then 127.0.0.1:9876]',
      helpGroup: GLOBAL,
    }),
    timeout: Flags.integer({
      summary: 'Timeout of each request to the cluster, in milliseconds.',
      default: 3000,
      min: 1,
      helpGroup: GLOBAL,
    }),
    'access-key': Flags.string({
      summary: 'ACL access key (clusters with ACL enabled).',
      env: 'ROCKIT_ACCESS_KEY',
      helpGroup: GLOBAL,
    }),
    'secret-key': Flags.string({
      summary: 'ACL secret key (clusters with ACL enabled).',
      env: 'ROCKIT_SECRET_KEY',
      helpGroup: GLOBAL,
    }),
    profile: Flags.string({
      summary: 'Connect with a saved profile (rockit config set-profile); -n and the key flags still win.',
      env: 'ROCKIT_PROFILE',
      helpGroup: GLOBAL,
    }),
    color: Flags.boolean({
      summary: 'Colour the output [default: on for a terminal; NO_COLOR and FORCE_COLOR honoured].',
      allowNo: true,
      helpGroup: GLOBAL,
    }),
  };

  protected flags!: RockitFlags<T>;
  protected args!: RockitArgs<T>;
  /** The name servers to ask, in order (from -n, NAMESRV_ADDR or the default). */
  protected namesrvAddrs: string[] = [];
  protected namesrvSource: NamesrvSource = 'default';
  /** The profile in use (--profile / ROCKIT_PROFILE), if any. */
  protected profileName: string | undefined;
  private profileCredentials: Credentials | undefined;

  public override async init(): Promise<void> {
    await super.init();
    // Decide colours before parsing so that a parse error is already printed uncoloured.
    setColorLevel(resolveColorLevel({ flag: colorFlagInArgv(this.argv), isTTY: process.stdout.isTTY === true }));
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof RockitCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as RockitFlags<T>;
    this.args = args as RockitArgs<T>;
    setColorLevel(resolveColorLevel({ flag: flags.color, isTTY: process.stdout.isTTY === true }));
    let profileNamesrv: string | undefined;
    if (flags.profile !== undefined && flags.profile !== '') {
      // Only commands run with a profile read the profiles file.
      const { loadProfile } = await import('./profiles.js');
      const profile = loadProfile(flags.profile);
      this.profileName = flags.profile;
      profileNamesrv = profile.namesrvAddr;
      if (profile.accessKey !== undefined && profile.secretKey !== undefined) {
        this.profileCredentials = { accessKey: profile.accessKey, secretKey: profile.secretKey };
      }
    }
    const namesrv = resolveNamesrv(flags.namesrv, process.env.NAMESRV_ADDR, profileNamesrv);
    this.namesrvAddrs = namesrv.addrs;
    this.namesrvSource = namesrv.source;
    if ((flags['access-key'] === undefined) !== (flags['secret-key'] === undefined)) {
      throw new UsageError('--access-key and --secret-key (ROCKIT_ACCESS_KEY / ROCKIT_SECRET_KEY) must be given together');
    }
  }

  /** Name servers, timeout and ACL credentials for building a client. */
  protected connection(): ConnectionSettings {
    const { flags } = this as unknown as { flags: RockitFlags<typeof RockitCommand> };
    const accessKey = flags['access-key'];
    const secretKey = flags['secret-key'];
    const credentials = accessKey !== undefined && secretKey !== undefined ? { accessKey, secretKey } : this.profileCredentials;
    return {
      namesrvAddrs: [...this.namesrvAddrs],
      namesrvSource: this.namesrvSource,
      timeoutMillis: flags.timeout,
      ...(credentials !== undefined ? { credentials } : {}),
    };
  }

  /** Plain JSON (never colourised, bigints kept exact) so scripts can always parse stdout. */
  public override logJson(json: unknown): void {
    ux.stdout(JSON.stringify(json, jsonReplacer, 2));
  }

  protected override toErrorJson(err: unknown): unknown {
    return errorToJson(err, { stack: debugEnabled() });
  }

  /**
   * Every failure ends here: one line on stderr (or the JSON error object on stdout with
   * --json) and a non-zero exit; the stack only when DEBUG is set.
   */
  protected override async catch(err: Error): Promise<never> {
    if (err instanceof Errors.ExitError) throw err;
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err));
    } else {
      const stderrColor = resolveColorLevel({ flag: colorFlagInArgv(this.argv), isTTY: process.stderr.isTTY === true }) > 0;
      process.stderr.write(`${formatErrorLine(err, { color: stderrColor })}\n`);
      if (debugEnabled() && err?.stack) process.stderr.write(`${err.stack}\n`);
    }
    return this.exit(exitCodeOf(err));
  }
}

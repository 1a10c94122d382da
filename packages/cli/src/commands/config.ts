import { RockitCommand } from '../rockit-command.js';
import type { NamesrvSource } from '../namesrv.js';
import { color, colorLevel } from '../render/color.js';
import { kv } from '../render/kv.js';

/** What `rockit config --json` prints. The secret key itself is never shown. */
export interface ResolvedConfig {
  namesrvAddrs: string[];
  namesrvSource: NamesrvSource;
  /** The profile in use (--profile / ROCKIT_PROFILE), or null. */
  profile: string | null;
  timeoutMillis: number;
  accessKey: string | null;
  secretKeySet: boolean;
  color: boolean;
}

export default class Config extends RockitCommand<typeof Config> {
  static override summary = 'Show the name servers and connection settings commands will use.';
  static override description =
    'Resolves the global flags the way every rockit command does: -n/--namesrv first, then the NAMESRV_ADDR ' +
    'environment variable, then 127.0.0.1:9876. Several name servers are separated by ";" as in RocketMQ. ' +
    'A saved profile (--profile NAME or ROCKIT_PROFILE; see config set-profile) comes after -n and before NAMESRV_ADDR.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -n "10.0.0.1:9876;10.0.0.2:9876" --json',
    '<%= config.bin %> <%= command.id %> --profile prod',
  ];

  async run(): Promise<ResolvedConfig> {
    const connection = this.connection();
    const resolved: ResolvedConfig = {
      namesrvAddrs: connection.namesrvAddrs,
      namesrvSource: connection.namesrvSource,
      profile: this.profileName ?? null,
      timeoutMillis: connection.timeoutMillis,
      accessKey: connection.credentials?.accessKey ?? null,
      secretKeySet: connection.credentials !== undefined,
      color: colorLevel() > 0,
    };
    this.log(
      kv([
        ['namesrvAddr', `${color.accent(resolved.namesrvAddrs.join(';'))}  ${color.dim(`(from ${resolved.namesrvSource})`)}`],
        ['profile', resolved.profile ?? '(none)'],
        ['timeout', `${resolved.timeoutMillis} ms`],
        ['accessKey', resolved.accessKey ?? '(none)'],
        ['secretKey', resolved.secretKeySet ? '(set)' : '(none)'],
        ['color', resolved.color ? 'on' : 'off'],
      ]),
    );
    return resolved;
  }
}

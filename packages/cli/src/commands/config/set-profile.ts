import { Args } from '@oclif/core';
import { RockitCommand } from '../../rockit-command.js';
import { UsageError } from '../../errors.js';

export interface SavedProfile {
  name: string;
  namesrvAddr: string;
  accessKey: string | null;
  secretKeySet: boolean;
  file: string;
}

export default class ConfigSetProfile extends RockitCommand<typeof ConfigSetProfile> {
  static override summary = 'Save a named connection profile: name servers and ACL credentials of a cluster.';
  static override description =
    'Any command then reaches that cluster with --profile NAME (or ROCKIT_PROFILE=NAME). Profiles live in ' +
    '$ROCKIT_HOME/profiles.json (default ~/.rockit), readable by you only. Saving an existing name replaces it.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> prod -n "10.0.0.1:9876;10.0.0.2:9876"',
    '<%= config.bin %> <%= command.id %> acl-test -n 10.0.0.5:9876 --access-key rocketmq2 --secret-key 12345678',
  ];
  static override args = { name: Args.string({ description: 'Profile name.', required: true }) };

  async run(): Promise<SavedProfile> {
    const { profilesFile, saveProfile } = await import('../../profiles.js');
    if (this.namesrvSource !== 'flag') throw new UsageError('give the name servers of the profile with -n host:port[;host:port...]');
    const { credentials } = this.connection();
    const file = profilesFile();
    saveProfile(this.args.name, { namesrvAddr: this.namesrvAddrs.join(';'), ...(credentials ?? {}) }, file);
    this.log(`saved profile ${this.args.name}: ${this.namesrvAddrs.join(';')}${credentials ? ` (access key ${credentials.accessKey})` : ''} in ${file}`);
    return { name: this.args.name, namesrvAddr: this.namesrvAddrs.join(';'), accessKey: credentials?.accessKey ?? null, secretKeySet: credentials !== undefined, file };
  }
}

import { Args } from '@oclif/core';
import { RockitCommand } from '../../rockit-command.js';
import { UsageError } from '../../errors.js';

export default class ConfigDeleteProfile extends RockitCommand<typeof ConfigDeleteProfile> {
  static override summary = 'Delete a saved connection profile.';
  static override examples = ['<%= config.bin %> <%= command.id %> prod'];
  static override args = { name: Args.string({ description: 'Profile name.', required: true }) };

  async run(): Promise<{ deleted: string }> {
    const { deleteProfile } = await import('../../profiles.js');
    if (!deleteProfile(this.args.name)) throw new UsageError(`no profile "${this.args.name}" (see rockit config profiles)`);
    this.log(`deleted profile ${this.args.name}`);
    return { deleted: this.args.name };
  }
}

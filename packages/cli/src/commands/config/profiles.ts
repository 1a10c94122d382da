import { RockitCommand } from '../../rockit-command.js';

export interface ProfileRow {
  name: string;
  namesrvAddr: string;
  accessKey: string | null;
  secretKeySet: boolean;
}

export default class ConfigProfiles extends RockitCommand<typeof ConfigProfiles> {
  static override summary = 'List the saved connection profiles (secret keys are never shown).';
  static override aliases = ['config:list-profiles'];
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<{ file: string; profiles: ProfileRow[] }> {
    const { profilesFile, readProfiles } = await import('../../profiles.js');
    const { table } = await import('../../render/table.js');
    const file = profilesFile();
    const profiles = Object.entries(readProfiles(file))
      .map(([name, p]) => ({ name, namesrvAddr: p.namesrvAddr, accessKey: p.accessKey ?? null, secretKeySet: p.secretKey !== undefined }))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (profiles.length === 0) this.log(`no profiles in ${file}; add one with: rockit config set-profile NAME -n host:9876`);
    else {
      this.log(
        table(profiles, [
          { header: 'PROFILE', key: 'name' },
          { header: 'NAMESRV', key: 'namesrvAddr' },
          { header: 'ACCESS KEY', get: (p) => p.accessKey ?? '-' },
        ]),
      );
    }
    return { file, profiles };
  }
}

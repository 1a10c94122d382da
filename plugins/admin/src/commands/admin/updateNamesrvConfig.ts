import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class UpdateNamesrvConfig extends AdminCommand<typeof UpdateNamesrvConfig> {
  static override summary = 'Change one name server config key at runtime (mqadmin updateNamesrvConfig).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -k orderMessageEnable -v true',
    '<%= config.bin %> <%= command.id %> -n 10.0.0.5:9876 -k orderMessageEnable -v true',
  ];
  static override flags = {
    key: Flags.string({ char: 'k', summary: 'Config key.', required: true }),
    value: Flags.string({ char: 'v', summary: 'Config value.', required: true }),
  };

  async run(): Promise<{ namesrvs: string[]; key: string; value: string }> {
    return this.withAdmin(async (admin) => {
      await admin.updateNamesrvConfig({ [this.flags.key]: this.flags.value });
      const namesrvs = this.connection().namesrvAddrs;
      this.log(`update name server config success!${namesrvs.join(';')}\n${this.flags.key} : ${this.flags.value}`);
      return { namesrvs, key: this.flags.key, value: this.flags.value };
    });
  }
}

import { AdminCommand } from '../../admin-command.js';
import { printConfigBlock } from '../../config-block.js';

export default class GetNamesrvConfig extends AdminCommand<typeof GetNamesrvConfig> {
  static override summary = "Print the name servers' configuration (mqadmin getNamesrvConfig).";
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -n "10.0.0.5:9876;10.0.0.6:9876" --json',
  ];

  async run(): Promise<Record<string, Record<string, string>>> {
    return this.withAdmin(async (admin) => {
      const out: Record<string, Record<string, string>> = {};
      for (const [addr, config] of await admin.getNamesrvConfig()) {
        out[addr] = Object.fromEntries(config);
        this.log(printConfigBlock(addr, out[addr]));
      }
      return out;
    });
  }
}

import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class AddWritePerm extends AdminCommand<typeof AddWritePerm> {
  static override summary = 'Restore write permission of a broker on every name server (mqadmin addWritePerm).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -b broker-a',
    '<%= config.bin %> <%= command.id %> -n 10.0.0.5:9876 -b broker-a',
  ];
  static override flags = { brokerName: Flags.string({ char: 'b', summary: 'Broker name.', required: true }) };

  async run(): Promise<{ brokerName: string; namesrvs: Record<string, number> }> {
    return this.withAdmin(async (admin) => {
      const result = await admin.addWritePermOfBroker(this.flags.brokerName);
      for (const [addr, count] of result) this.log(`add write perm of broker[${this.flags.brokerName}] in name server[${addr}] OK, ${count}`);
      return { brokerName: this.flags.brokerName, namesrvs: Object.fromEntries(result) };
    });
  }
}

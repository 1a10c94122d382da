import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class WipeWritePerm extends AdminCommand<typeof WipeWritePerm> {
  static override summary = 'Remove write permission of a broker on every name server (mqadmin wipeWritePerm).';
  static override flags = { brokerName: Flags.string({ char: 'b', summary: 'Broker name.', required: true }) };

  async run(): Promise<{ brokerName: string; namesrvs: Record<string, number> }> {
    return this.withAdmin(async (admin) => {
      const result = await admin.wipeWritePermOfBroker(this.flags.brokerName);
      for (const [addr, count] of result) this.log(`wipe write perm of broker[${this.flags.brokerName}] in name server[${addr}] OK, ${count}`);
      return { brokerName: this.flags.brokerName, namesrvs: Object.fromEntries(result) };
    });
  }
}

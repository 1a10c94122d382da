import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class Producer extends AdminCommand<typeof Producer> {
  static override summary = "List a broker's producer instances by group (mqadmin producer).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 --json',
  ];
  static override flags = { broker: Flags.string({ char: 'b', summary: 'Broker address (host:port).', required: true }) };

  async run(): Promise<Record<string, { clientId: string; remoteIP: string; language: string; version: number; lastUpdateTimestamp: number }[]>> {
    return this.withAdmin(async (admin) => {
      const table = await admin.getAllProducerInfo(this.flags.broker);
      for (const [group, list] of table) {
        if (list.length === 0) this.log(`producer group (${group}) instances are empty`);
        for (const p of list) {
          this.log(`producer group (${group}) instance : clientId=${p.clientId},remoteIP=${p.remoteIP}, language=${p.language}, version=${p.version}, lastUpdateTimestamp=${p.lastUpdateTimestamp}`);
        }
      }
      return Object.fromEntries(table);
    });
  }
}

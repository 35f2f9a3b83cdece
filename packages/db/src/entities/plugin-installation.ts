import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { SubAccount } from './sub-account.js';

/** A plugin installed into a sub-account, with its validated config. */
export class PluginInstallation {
  id: string = randomUUID();
  subAccount: SubAccount;
  pluginId: string;
  pluginVersion: string;
  config: Record<string, unknown>;
  enabled = true;
  installedAt: Date = new Date();

  constructor(subAccount: SubAccount, pluginId: string, pluginVersion: string, config: Record<string, unknown>) {
    this.subAccount = subAccount;
    this.pluginId = pluginId;
    this.pluginVersion = pluginVersion;
    this.config = config;
  }
}

export const PluginInstallationSchema = new EntitySchema<PluginInstallation>({
  class: PluginInstallation,
  tableName: 'plugin_installations',
  uniques: [{ properties: ['subAccount', 'pluginId'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    subAccount: { kind: 'm:1', entity: () => SubAccount, deleteRule: 'cascade' },
    pluginId: { type: 'text' },
    pluginVersion: { type: 'text' },
    config: { type: 'json' },
    enabled: { type: 'boolean', default: true },
    installedAt: { type: 'datetime' },
  },
});

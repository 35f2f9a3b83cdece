import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A marketing agency: owns sub-accounts, snapshots and API keys. */
export class Agency {
  id: string = randomUUID();
  name: string;
  createdAt: Date = new Date();

  constructor(name: string) {
    this.name = name;
  }
}

export const AgencySchema = new EntitySchema<Agency>({
  class: Agency,
  tableName: 'agencies',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});

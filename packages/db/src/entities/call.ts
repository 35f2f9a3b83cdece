import { EntitySchema, type EntityRepositoryType } from '@mikro-orm/core';
import { CallRepository } from '../repositories/call-repository.js';
import type { CallOutcome, TextBackStatus, UntextableCallerReason } from '@mctb/domain';
import { randomUUID } from 'node:crypto';
import { Contact } from './contact.js';
import { SubAccount } from './sub-account.js';

/** One inbound call, keyed by the provider's CallSid; it ends in exactly one outcome. */
export class Call {
  declare [EntityRepositoryType]?: CallRepository;
  id: string = randomUUID();
  subAccount: SubAccount;
  callSid: string;
  /** The caller ID as the carrier reported it. */
  fromRaw: string;
  /** E.164 of the caller when it is textable; null for anonymous, restricted or invalid IDs. */
  callerPhone: string | null = null;
  /** Why the caller can't be texted, when callerPhone is null. */
  untextableReason: UntextableCallerReason | null = null;
  toNumber: string;
  contact: Contact | null = null;
  outcome: CallOutcome | null = null;
  /** What reported the outcome: "dial", "recording", "status" or "plugin:<id>". */
  outcomeSource: string | null = null;
  dialCallStatus: string | null = null;
  ringSeconds: number | null = null;
  recordingUrl: string | null = null;
  textBackStatus: TextBackStatus | null = null;
  textBackReason: string | null = null;
  startedAt: Date;
  endedAt: Date | null = null;

  constructor(init: { subAccount: SubAccount; callSid: string; fromRaw: string; toNumber: string; startedAt: Date }) {
    this.subAccount = init.subAccount;
    this.callSid = init.callSid;
    this.fromRaw = init.fromRaw;
    this.toNumber = init.toNumber;
    this.startedAt = init.startedAt;
  }
}

export const CallSchema = new EntitySchema<Call>({
  class: Call,
  repository: () => CallRepository,
  tableName: 'calls',
  indexes: [{ properties: ['subAccount', 'startedAt'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    subAccount: { kind: 'm:1', entity: () => SubAccount, deleteRule: 'cascade' },
    callSid: { type: 'text', unique: true },
    fromRaw: { type: 'text' },
    callerPhone: { type: 'text', nullable: true },
    untextableReason: { type: 'text', nullable: true },
    toNumber: { type: 'text' },
    contact: { kind: 'm:1', entity: () => Contact, nullable: true, deleteRule: 'set null' },
    outcome: { type: 'text', nullable: true },
    outcomeSource: { type: 'text', nullable: true },
    dialCallStatus: { type: 'text', nullable: true },
    ringSeconds: { type: 'integer', nullable: true },
    recordingUrl: { type: 'text', nullable: true },
    textBackStatus: { type: 'text', nullable: true },
    textBackReason: { type: 'text', nullable: true },
    startedAt: { type: 'datetime' },
    endedAt: { type: 'datetime', nullable: true },
  },
});

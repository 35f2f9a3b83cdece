import { EntitySchema } from '@mikro-orm/core';
import { Agency } from './agency.js';

/**
 * An agency's own Twilio account. The auth token is stored sealed (AES-256-GCM, see @mctb/secrets)
 * with the id of the key that sealed it, so keys can rotate; it is never returned by the API.
 */
export class TwilioAccount {
  /** AC…; one account belongs to one agency. */
  accountSid: string;
  agency: Agency;
  /** The account's name at Twilio when the credentials were last checked. */
  friendlyName: string;
  authTokenCiphertext: string;
  authTokenKeyId: string;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();

  constructor(init: { accountSid: string; agency: Agency; friendlyName: string; authTokenCiphertext: string; authTokenKeyId: string }) {
    this.accountSid = init.accountSid;
    this.agency = init.agency;
    this.friendlyName = init.friendlyName;
    this.authTokenCiphertext = init.authTokenCiphertext;
    this.authTokenKeyId = init.authTokenKeyId;
  }
}

export const TwilioAccountSchema = new EntitySchema<TwilioAccount>({
  class: TwilioAccount,
  tableName: 'twilio_accounts',
  properties: {
    accountSid: { type: 'text', primary: true },
    // One account per agency for now; per-client subaccounts would relax this to one per sub-account.
    agency: { kind: 'm:1', entity: () => Agency, deleteRule: 'cascade', unique: true },
    friendlyName: { type: 'text' },
    authTokenCiphertext: { type: 'text' },
    authTokenKeyId: { type: 'text' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

import { setTwilioAccount, twilioAccountOf, type TwilioAccountView } from '@mctb/control';
import { builder } from '../builder.js';
import { ForbiddenError, unwrap, ValidationError } from '../errors.js';

// Deliberately no field for the auth token: it is stored sealed and never leaves the server.
const TwilioAccountRef = builder.objectRef<TwilioAccountView>('TwilioAccount').implement({
  description: "The agency's own Twilio account. Its auth token is stored encrypted and never returned.",
  fields: (t) => ({
    accountSid: t.exposeString('accountSid'),
    friendlyName: t.exposeString('friendlyName', { description: "The account's name at Twilio when the credentials were last checked." }),
    keyId: t.exposeString('keyId', { description: 'Id of the key the auth token is encrypted with (for key rotation).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('twilioAccount', (t) =>
  t.field({
    type: TwilioAccountRef,
    nullable: true,
    description: "The agency's own Twilio account; null when it uses the platform's, or for a sub-account key.",
    resolve: async (_root, _args, { em, viewer }) => {
      const result = await twilioAccountOf(em, viewer);
      return result.ok ? result.value : null;
    },
  }),
);

const SetTwilioAccountInput = builder.inputType('SetTwilioAccountInput', {
  fields: (t) => ({
    accountSid: t.string({ required: true, description: 'AC followed by 32 hex digits.' }),
    authToken: t.string({ required: true, description: 'Checked against Twilio, then stored encrypted; never returned.' }),
  }),
});

const SetTwilioAccountPayload = builder.objectRef<{ twilioAccount: TwilioAccountView }>('SetTwilioAccountPayload').implement({
  fields: (t) => ({ twilioAccount: t.field({ type: TwilioAccountRef, resolve: (payload) => payload.twilioAccount }) }),
});

builder.mutationField('setTwilioAccount', (t) =>
  t.field({
    type: SetTwilioAccountPayload,
    description:
      "Sets the agency's own Twilio account (agency keys only), after Twilio accepted the credentials. Numbers the agency claims must then be in it, and webhooks about them must be signed with its token. Setting the same account again replaces its token (rotation).",
    errors: { types: [ValidationError, ForbiddenError] },
    args: { input: t.arg({ type: SetTwilioAccountInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer, providerAccounts }) => ({ twilioAccount: unwrap(await setTwilioAccount(em, viewer, providerAccounts, input)) }),
  }),
);

import { findSubAccountInScope, isUuid, issueApiKey, listApiKeys, revokeApiKey } from '@mctb/control';
import type { ApiKey } from '@mctb/db';
import { singleLineTextProblem } from '@mctb/domain';
import { builder } from '../builder.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { PAGE_DOC, pagedComplexity } from '../pagination.js';

const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey').implement({
  description: 'An API key. Only its hash is stored: the token is shown once, when the key is created.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The public part of the token ("mctb_<prefix>_..."), to tell keys apart.' }),
    subAccountId: t.id({ nullable: true, description: 'Set for a key bound to one sub-account.', resolve: (key) => key.subAccount?.id ?? null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the key last authenticated a request (to the minute); null if never.', resolve: (key) => key.lastUsedAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (key) => key.revokedAt }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: `API keys, newest first, revoked ones included: every key of the agency for an agency key, the sub-account's own for a sub-account key. ${PAGE_DOC}`,
    args: { first: t.arg.int(), after: t.arg.id() },
    complexity: pagedComplexity,
    resolve: (_root, args, { em, viewer }) => listApiKeys(em, viewer, args),
  }),
);

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'What the key is for, e.g. "zapier" or "dashboard".' }),
    subAccountId: t.id({ description: 'Bind the key to this sub-account; omit for an agency-wide key.' }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<{ key: ApiKey; token: string }>('CreateApiKeyPayload').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (payload) => payload.key }),
    token: t.exposeString('token', { description: 'The bearer token. It is not stored and cannot be shown again.' }),
  }),
});

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreateApiKeyPayload,
    // A sub-account key must not mint keys: it could bind one to the whole agency.
    authScopes: { agencyKey: true },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => {
      const name = input.name.trim();
      const problem = name === '' ? 'must not be empty' : singleLineTextProblem(name, 120);
      if (problem) throw new ValidationError([{ path: 'name', message: problem }]);
      const subAccountId = input.subAccountId ?? null;
      if (subAccountId !== null && !(await findSubAccountInScope(em, viewer, subAccountId))) {
        throw new NotFoundError(`sub-account ${subAccountId} not found`);
      }
      return issueApiKey(em, { agencyId: viewer.agencyId, subAccountId, name });
    },
  }),
);

const RevokeApiKeyPayload = builder.objectRef<{ apiKeyId: string }>('RevokeApiKeyPayload').implement({
  fields: (t) => ({ apiKeyId: t.exposeID('apiKeyId') }),
});

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: RevokeApiKeyPayload,
    description: 'Revokes a key at once. A sub-account key may only revoke keys of its own sub-account.',
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { em, viewer }) => {
      if (!isUuid(id) || !(await revokeApiKey(em, viewer, id))) throw new NotFoundError(`API key ${id} not found or already revoked`);
      return { apiKeyId: id };
    },
  }),
);

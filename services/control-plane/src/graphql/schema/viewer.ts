import { findSubAccountInScope } from '@mctb/control';
import { Agency } from '@mctb/db';
import { builder } from '../builder.js';
import type { Viewer } from '../context.js';
import { SubAccountRef } from './sub-account.js';

const AgencyRef = builder.objectRef<Agency>('Agency').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
  }),
});

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The API key making this request, and what it may see.',
  fields: (t) => ({
    apiKeyId: t.exposeID('keyId'),
    // Authentication loaded the agency into this request's identity map, so this costs no query.
    agency: t.field({ type: AgencyRef, resolve: (viewer, _args, { em }) => em.findOneOrFail(Agency, viewer.agencyId) }),
    subAccountScoped: t.boolean({
      description: 'True for a key bound to one sub-account: it sees only that one and cannot create sub-accounts, snapshots or keys.',
      resolve: (viewer) => viewer.subAccountId !== null,
    }),
    subAccount: t.field({
      type: SubAccountRef,
      nullable: true,
      description: 'The sub-account a sub-account key is bound to; null for agency keys.',
      resolve: (viewer, _args, { em }) => (viewer.subAccountId === null ? null : findSubAccountInScope(em, viewer, viewer.subAccountId)),
    }),
  }),
});

builder.queryField('viewer', (t) => t.field({ type: ViewerRef, resolve: (_root, _args, { viewer }) => viewer }));

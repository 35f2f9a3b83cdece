import type { EntityManager } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { createAgency, issueApiKey } from './api-keys.js';
import type { Failure } from './result.js';
import { importSnapshot, provisionSnapshot } from './snapshots.js';
import { UNVERIFIED_NUMBER_CLAIMS, type NumberClaims } from './provider-accounts.js';
import { createSubAccount, type CreateSubAccountInput } from './sub-accounts.js';

export interface AccountSetup {
  agencyId: string;
  /** Bearer token of an agency API key (shown once). */
  apiKey: string;
  subAccountId: string;
  twilioNumber: string;
  snapshotVersionId: string;
}

/**
 * An agency with an API key and one sub-account running a snapshot: the demo the platform
 * starts with, and the starting point of tests. Goes through the same use cases as GraphQL. The
 * operator seeds it, so its number is taken on trust unless `claims` says otherwise.
 */
export async function setUpAccount(
  em: EntityManager,
  plugins: PluginRegistry,
  input: { agencyName: string; subAccount: CreateSubAccountInput; snapshotYaml: string; customValues: Record<string, string> },
  claims: NumberClaims = UNVERIFIED_NUMBER_CLAIMS,
): Promise<AccountSetup> {
  const agency = await createAgency(em, input.agencyName);
  const { token } = await issueApiKey(em, { agencyId: agency.id, name: 'default' });
  const scope = { agencyId: agency.id, subAccountId: null };
  const created = expectOk(await createSubAccount(em, scope, input.subAccount, claims), 'createSubAccount');
  const imported = expectOk(await importSnapshot(em, plugins, scope, input.snapshotYaml), 'importSnapshot');
  expectOk(
    await provisionSnapshot(em, plugins, scope, {
      subAccountId: created.subAccount.id,
      snapshotVersionId: imported.version.id,
      customValues: input.customValues,
    }),
    'provisionSnapshot',
  );
  return {
    agencyId: agency.id,
    apiKey: token,
    subAccountId: created.subAccount.id,
    twilioNumber: created.phoneNumber.e164,
    snapshotVersionId: imported.version.id,
  };
}

function expectOk<T>(result: { ok: true; value: T } | Failure, step: string): T {
  if (result.ok) return result.value;
  const detail = result.kind === 'invalid' ? result.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : result.message;
  throw new Error(`${step} failed: ${detail}`);
}

import type { EntityManager } from '@mctb/db';
import { announceRoutingChange, type Provisioning } from '@mctb/db';
import { parseBusinessHours } from '@mctb/business-hours';
import { NUL_MESSAGE } from '@mctb/domain';
import { currentDefinition, localTemplateProblems, type LocalEdits } from '@mctb/snapshots';
import { lockedProvisioning } from './apply-version.js';
import { invalid, notFound, ok, type Result } from './result.js';
import { findSubAccountInScope, type Scope } from './scope.js';

/**
 * A sub-account's own changes to what its snapshot gave it: a template's wording, its business
 * hours. They win over the snapshot version's, and an upgrade keeps them (reporting a conflict when
 * the newer version changes the same thing). The client's own key may make them.
 */
export type LocalEdit =
  | { kind: 'template'; key: string; body: string }
  | { kind: 'business_hours'; hours: unknown }
  | { kind: 'revert'; path: string };

export async function editLocally(em: EntityManager, scope: Scope, subAccountId: string, edit: LocalEdit): Promise<Result<Provisioning>> {
  const subAccount = await findSubAccountInScope(em, scope, subAccountId);
  if (!subAccount) return notFound(`sub-account ${subAccountId} not found`);
  const result = await em.transactional(async (tx): Promise<Result<Provisioning>> => {
    // Locked: a provisioning run upgrading this sub-account right now applies before or after, never across.
    const provisioning = await lockedProvisioning(tx, subAccount);
    if (!provisioning) return invalid([{ path: 'subAccountId', message: 'nothing is provisioned in this sub-account yet: provision a snapshot first, then edit it locally' }]);
    const edits = editedWith(provisioning, edit);
    if (!edits.ok) return edits;
    provisioning.localEdits = edits.value;
    await tx.flush();
    return ok(provisioning);
  });
  if (result.ok) await announceRoutingChange(em, subAccount.id);
  return result;
}

function editedWith(provisioning: Provisioning, edit: LocalEdit): Result<LocalEdits> {
  const definition = currentDefinition(provisioning.snapshotVersion.definition);
  const edits: LocalEdits = { ...provisioning.localEdits, templates: { ...provisioning.localEdits.templates } };
  switch (edit.kind) {
    case 'template': {
      if (edit.body.includes('\u0000')) return invalid([{ path: 'body', message: NUL_MESSAGE }]);
      const problems = localTemplateProblems(definition, edit.key, edit.body);
      if (problems.length > 0) return invalid(problems);
      edits.templates = { ...edits.templates, [edit.key]: edit.body };
      break;
    }
    case 'business_hours': {
      if (edit.hours === null) {
        edits.businessHours = null;
        break;
      }
      const parsed = parseBusinessHours(edit.hours);
      if (!parsed.ok) return invalid(parsed.issues.map((issue) => ({ path: ['hours', ...issue.path].join('.'), message: issue.message })));
      edits.businessHours = parsed.value;
      break;
    }
    case 'revert': {
      const [section, key] = edit.path.split(/\.(.*)/s);
      if (section === 'businessHours' && key === undefined && edits.businessHours !== undefined) delete edits.businessHours;
      else if (section === 'templates' && key !== undefined && Object.hasOwn(edits.templates ?? {}, key)) delete edits.templates?.[key];
      else return invalid([{ path: 'path', message: `"${edit.path.slice(0, 80)}" is not a local edit of this sub-account (edited: ${editedPaths(edits).join(', ') || 'nothing'})` }]);
      break;
    }
  }
  if (edits.templates && Object.keys(edits.templates).length === 0) delete edits.templates;
  return ok(edits);
}

/** The paths a sub-account edited, e.g. `templates.first_text`, `businessHours`. */
export function editedPaths(edits: LocalEdits): string[] {
  return [...Object.keys(edits.templates ?? {}).map((key) => `templates.${key}`), ...(edits.businessHours !== undefined ? ['businessHours'] : [])];
}

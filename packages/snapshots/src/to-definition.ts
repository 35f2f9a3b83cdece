import { DEFAULT_TEXT_BACK_PLAN } from '@mctb/domain';
import { compileTextBack } from './compile-text-back.js';
import type { ParsedSnapshotDocument } from './schema.js';
import { DEFAULT_DAILY_CAP, DEFAULT_QUIET_HOURS, type ParsedSnapshotDocumentV2 } from './schema-v2.js';
import type { SnapshotDefinition, SnapshotMetadata, SnapshotTextBack } from './types.js';

/**
 * A v1 document as a definition of the v2 shape: no business hours, the default quiet hours (which
 * its text-back ignores, as before), and exclusions as the v1 text-back applied them: a caller who
 * texted within the dedup window is in a conversation and gets no canned text.
 */
export function definitionFromV1(data: ParsedSnapshotDocument): SnapshotDefinition {
  const { customValues, templates, plugins } = data;
  const metadata = metadataOf(data.metadata);
  const textBack: SnapshotTextBack = {
    enabled: data.textBack.enabled,
    delaySeconds: data.textBack.delay,
    dedupWindowSeconds: data.textBack.dedupWindow,
    template: data.textBack.template,
  };
  return withV1Automation({ metadata, customValues, textBack, templates, plugins });
}

/** What a v1 definition holds (and all a release before v2 stored). */
export type V1Definition = Pick<SnapshotDefinition, 'metadata' | 'customValues' | 'textBack' | 'templates' | 'plugins'>;

/** A v1 definition with the automation parts a v1 file implies. */
export function withV1Automation(v1: V1Definition): SnapshotDefinition {
  return {
    apiVersion: 'mctb.dev/v1',
    ...v1,
    businessHours: null,
    quietHours: { ...DEFAULT_QUIET_HOURS },
    exclusions: { tags: [], onlyNewContacts: false, activeConversationWithinSeconds: v1.textBack.dedupWindowSeconds, dailyCap: DEFAULT_DAILY_CAP },
    workflows: [compileTextBack(v1.textBack)],
  };
}

/**
 * Without `textBack` settings the definition still carries them, turned off, because the text-back
 * workflow that runs today reads them; the snapshot's workflows are for the interpreter.
 */
const NO_TEXT_BACK: SnapshotTextBack = { ...DEFAULT_TEXT_BACK_PLAN, enabled: false, template: '' };

export function definitionFromV2(data: ParsedSnapshotDocumentV2): SnapshotDefinition {
  const { customValues, templates, plugins, exclusions } = data;
  const metadata = metadataOf(data.metadata);
  const textBack: SnapshotTextBack | undefined = data.textBack && {
    enabled: data.textBack.enabled,
    delaySeconds: data.textBack.delay,
    dedupWindowSeconds: data.textBack.dedupWindow,
    template: data.textBack.template,
    // Absent rather than undefined: the definition is stored as JSON and compared after a round trip.
    ...(data.textBack.afterHoursTemplate === undefined ? {} : { afterHoursTemplate: data.textBack.afterHoursTemplate }),
  };
  return {
    apiVersion: 'mctb.dev/v2',
    metadata,
    customValues,
    textBack: textBack ?? NO_TEXT_BACK,
    templates,
    plugins,
    businessHours: data.businessHours ?? null,
    quietHours: data.quietHours === undefined ? { ...DEFAULT_QUIET_HOURS } : data.quietHours,
    exclusions: {
      tags: exclusions.tags,
      onlyNewContacts: exclusions.onlyNewContacts,
      activeConversationWithinSeconds: exclusions.activeConversationWithin,
      dailyCap: exclusions.dailyCap,
    },
    workflows: textBack ? [...data.workflows, compileTextBack(textBack)] : data.workflows,
  };
}

/** A file may leave its version out: 0 until the import assigns the next one. */
function metadataOf(metadata: ParsedSnapshotDocument['metadata']): SnapshotMetadata {
  return { ...metadata, version: metadata.version ?? 0 };
}

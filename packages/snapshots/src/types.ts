import type { BusinessHours, DayInterval } from '@mctb/business-hours';
import type { Workflow } from './workflow-types.js';

export interface SnapshotMetadata {
  slug: string;
  name: string;
  /** 0 when the file left it out, until the import assigns the next version. */
  version: number;
  description?: string;
}

export interface SnapshotCustomValue {
  key: string;
  name: string;
  /** Every sub-account must provide a value; such a value never has a default. */
  required: boolean;
  default?: string;
}

export interface SnapshotTextBack {
  enabled: boolean;
  delaySeconds: number;
  /** 0 means "text every missed call". */
  dedupWindowSeconds: number;
  /** Key into `templates`; '' when a v2 snapshot has no `textBack` settings (then `enabled` is false). */
  template: string;
  /** v2 only: sent instead of `template` outside business hours. */
  afterHoursTemplate?: string;
}

/** Who automated runs skip, each skip recorded with its reason (opted-out contacts are always skipped). */
export interface SnapshotExclusions {
  /** Contacts with any of these tags (e.g. the team's own phones). */
  tags: string[];
  onlyNewContacts: boolean;
  /** Skip a caller who texted or was texted within this window; 0 turns the check off. */
  activeConversationWithinSeconds: number;
  /** Automated texts per sub-account per local day (a cost guard). */
  /** Null: no cap (`dailyCap: off`). */
  dailyCap: number | null;
}

export interface SnapshotPlugin {
  id: string;
  /** A semver range ("^1.2.0", "*"): provisioning installs the highest published version in it. */
  version: string;
  config: Record<string, unknown>;
}

/**
 * A parsed, validated snapshot with durations in seconds and every optional list present. v1 and v2
 * files give the same shape: the simple `textBack` settings are also compiled into `workflows`, so
 * one interpreter runs both. `textBack` stays for the text-back workflow that reads it today.
 */
export interface SnapshotDefinition {
  /** The file format the definition was read from. */
  apiVersion: 'mctb.dev/v1' | 'mctb.dev/v2';
  metadata: SnapshotMetadata;
  customValues: SnapshotCustomValue[];
  textBack: SnapshotTextBack;
  templates: Record<string, string>;
  plugins: SnapshotPlugin[];
  /** Null: none declared (v1 files never declare them). */
  businessHours: BusinessHours | null;
  /** Automated sends wait for this window to end; null: no quiet hours. */
  quietHours: DayInterval | null;
  exclusions: SnapshotExclusions;
  workflows: Workflow[];
}

/** One problem in a snapshot; `path` is like `customValues[0].key`, '' for the document itself. */
export interface SnapshotIssue {
  path: string;
  message: string;
  /** 1-based position in the YAML source, when the path could be found there. */
  line?: number;
  column?: number;
}

/** Tells the parser which plugins exist, so this package doesn't depend on any of them. */
export interface SnapshotPluginLookup {
  /** The highest version of the plugin in the range, as far as this lookup knows; undefined when none. */
  describe(id: string, range: string): SnapshotPluginDescription | undefined;
}

/** Problems a plugin found in a config it was given, at paths inside that config. */
export type PluginConfigCheck = (config: unknown) => { path: string; message: string }[];

export interface SnapshotPluginDescription {
  validateConfig: PluginConfigCheck;
  /** The workflow step the plugin offers under this name; absent when it offers none. */
  describeStep?(name: string): { validateConfig: PluginConfigCheck } | undefined;
}

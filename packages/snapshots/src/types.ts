export interface SnapshotMetadata {
  slug: string;
  name: string;
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
  /** Key into `templates`. */
  template: string;
}

export interface SnapshotPlugin {
  id: string;
  config: Record<string, unknown>;
}

/** A parsed, validated snapshot with durations in seconds and every optional list present. */
export interface SnapshotDefinition {
  metadata: SnapshotMetadata;
  customValues: SnapshotCustomValue[];
  textBack: SnapshotTextBack;
  templates: Record<string, string>;
  plugins: SnapshotPlugin[];
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
  describe(id: string): { validateConfig(config: unknown): { path: string; message: string }[] } | undefined;
}

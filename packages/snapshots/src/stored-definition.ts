import { withV1Automation, type V1Definition } from './to-definition.js';
import type { SnapshotDefinition } from './types.js';

/**
 * A definition as any release stored it, in today's shape. Releases before the v2 format stored
 * only the v1 parts (no `apiVersion`, no `workflows`); those get what their v1 file implies, so a
 * version imported long ago runs the same as the same file imported today. Stored versions are
 * immutable, so this upgrades on read instead of rewriting rows.
 */
export function currentDefinition(stored: SnapshotDefinition | V1Definition): SnapshotDefinition {
  const current = 'workflows' in stored && 'apiVersion' in stored ? stored : withV1Automation(stored);
  // Plugin requirements stored before they had version ranges took any version.
  if (current.plugins.every((plugin) => typeof plugin.version === 'string')) return current;
  return { ...current, plugins: current.plugins.map((plugin) => ({ ...plugin, version: plugin.version ?? '*' })) };
}

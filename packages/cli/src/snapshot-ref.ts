import { CliError, EXIT_USAGE } from './exit-codes.js';

export interface SnapshotRef {
  slug: string;
  /** Undefined: the latest version. */
  version: number | undefined;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "hvac-missed-call@3" or "hvac-missed-call" (the latest version). */
export function parseSnapshotRef(text: string): SnapshotRef {
  const [slug = '', version, ...rest] = text.split('@');
  if (!SLUG.test(slug) || rest.length > 0) {
    throw new CliError(`"${text}" is not a snapshot reference: write slug or slug@version, e.g. missed-call-text-back@2`, EXIT_USAGE);
  }
  return { slug, version: version === undefined ? undefined : parseVersion(version, text) };
}

/** `diff` takes `slug@from..to` as well as `slug from to`. */
export function parseDiffRange(text: string): { slug: string; from: number; to: number } | undefined {
  const match = /^([^@]+)@(\d+)\.\.(\d+)$/.exec(text);
  if (!match) return undefined;
  return { slug: parseSnapshotRef(match[1]!).slug, from: parseVersion(match[2]!, text), to: parseVersion(match[3]!, text) };
}

export function parseVersion(text: string, context: string = text): number {
  const version = Number(text);
  if (!/^\d+$/.test(text) || version < 1 || !Number.isSafeInteger(version)) {
    throw new CliError(`"${context}": a version is a whole number from 1, not "${text}"`, EXIT_USAGE);
  }
  return version;
}

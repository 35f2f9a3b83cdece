import semver from 'semver';

/** A version range as snapshots and installs write it ("^1.2.0", "~1.2", ">=2 <3", "1.4.1", "*"). */
export function isVersionRange(range: string): boolean {
  return semver.validRange(range) !== null;
}

/** The highest version that satisfies the range (pre-releases only when the range names one). */
export function highestMatching(versions: readonly string[], range: string): string | null {
  return semver.maxSatisfying([...versions], range);
}

export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b);
}

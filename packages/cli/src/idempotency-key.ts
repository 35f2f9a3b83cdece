import { createHash } from 'node:crypto';

/**
 * The default key of a provisioning run: the same snapshot version and the same CSV give the same
 * key, so running the same command again finds the run the first one started instead of starting
 * another (the server changes nothing). Another version or an edited CSV is a new run.
 */
export function defaultIdempotencyKey(slug: string, version: number, csvText: string): string {
  const digest = createHash('sha256').update(`${slug}@${version}\n`).update(csvText.replace(/\r\n/g, '\n')).digest('hex');
  return `mctb-cli-${digest.slice(0, 32)}`;
}

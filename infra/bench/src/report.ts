import { repoRoot } from '@mctb/devstack';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Prints rows as an aligned table, the first row as its header. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log('');
  for (const [n, row] of rows.entries()) {
    console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | '));
    if (n === 0) console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  }
}

/** Writes a run's figures to bench-results/<name>-<time><suffix>.json; returns the path. */
export async function saveResults(name: string, suffix: string, data: object): Promise<string> {
  const dir = join(repoRoot, 'bench-results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}${suffix}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

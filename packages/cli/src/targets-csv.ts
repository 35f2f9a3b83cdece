import { parse } from 'csv-parse/sync';
import { CliError, EXIT_FAILED } from './exit-codes.js';

/** A target as the GraphQL API takes it (ProvisioningTargetInput). */
export interface ProvisioningTargetInput {
  subAccountId?: string;
  newSubAccount?: {
    name: string;
    timeZone: string;
    twilioNumber: string;
    forwardingNumber: string;
    incomingCallTimeout?: number;
  };
  customValues: { key: string; value: string }[];
}

/** A target with where it came from, so the server's issues can name the row. */
export interface CsvTarget {
  /** 1-based line of the row in the file (the header is line 1). */
  line: number;
  input: ProvisioningTargetInput;
}

const NEW_ACCOUNT_COLUMNS = ['name', 'timeZone', 'twilioNumber', 'forwardingNumber'] as const;
const ACCOUNT_COLUMNS = new Set<string>(['subAccountId', ...NEW_ACCOUNT_COLUMNS, 'incomingCallTimeout']);
const CUSTOM_VALUE_KEY = /^[a-z][a-z0-9_]*$/;

export class TargetsCsvError extends CliError {
  constructor(
    readonly problems: string[],
    file: string,
  ) {
    super(`${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((problem) => `  ${file}: ${problem}`).join('\n')}`, EXIT_FAILED);
    this.name = 'TargetsCsvError';
  }
}

/**
 * Reads the targets of a provisioning run from CSV with a header row. A row with `subAccountId`
 * provisions that sub-account; a row without one creates a sub-account from `name`, `timeZone`,
 * `twilioNumber`, `forwardingNumber` (and optionally `incomingCallTimeout`). Every other column is a
 * custom value key; an empty cell leaves that value to the snapshot's default (or the client's
 * current value). Every problem is listed at once, naming its line and column.
 */
export function parseTargetsCsv(text: string, file: string): CsvTarget[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: false }) as unknown as typeof records;
  } catch (error) {
    throw new TargetsCsvError([error instanceof Error ? error.message : String(error)], file);
  }
  const [header, ...rows] = records;
  if (!header) throw new TargetsCsvError(['the file is empty: it needs a header row and one row per target'], file);
  const columns = header.record;
  const problems = headerProblems(columns);
  if (rows.length === 0) problems.push('no targets: add one row per sub-account under the header');
  if (problems.length > 0) throw new TargetsCsvError(problems, file);

  const targets = rows.map(({ record, info }) => readRow(columns, record, info.lines, problems));
  if (problems.length > 0) throw new TargetsCsvError(problems, file);
  return targets;
}

function headerProblems(columns: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  columns.forEach((column, index) => {
    if (column === '') problems.push(`line 1, column ${index + 1}: the header is empty`);
    else if (seen.has(column)) problems.push(`line 1: column "${column}" appears twice`);
    else if (!ACCOUNT_COLUMNS.has(column) && !CUSTOM_VALUE_KEY.test(column)) {
      problems.push(`line 1: column "${column}" is neither a sub-account field (${[...ACCOUNT_COLUMNS].join(', ')}) nor a custom value key (lowercase, digits, _)`);
    }
    seen.add(column);
  });
  const hasNew = NEW_ACCOUNT_COLUMNS.every((column) => seen.has(column));
  if (!seen.has('subAccountId') && !hasNew) {
    problems.push(`line 1: needs a subAccountId column (existing sub-accounts) or ${NEW_ACCOUNT_COLUMNS.join(', ')} columns (new ones)`);
  }
  return problems;
}

function readRow(columns: string[], cells: string[], line: number, problems: string[]): CsvTarget {
  const cell = (column: string) => cells[columns.indexOf(column)] ?? '';
  const customValues = columns
    .map((column, index) => ({ key: column, value: cells[index] ?? '' }))
    .filter(({ key, value }) => !ACCOUNT_COLUMNS.has(key) && value !== '');
  const subAccountId = cell('subAccountId');
  if (subAccountId !== '') {
    const stray = [...NEW_ACCOUNT_COLUMNS, 'incomingCallTimeout'].filter((column) => cell(column) !== '');
    if (stray.length > 0) problems.push(`line ${line}: give either subAccountId or the new sub-account's ${stray.join(', ')}, not both`);
    return { line, input: { subAccountId, customValues } };
  }
  const missing = NEW_ACCOUNT_COLUMNS.filter((column) => cell(column) === '');
  for (const column of missing) problems.push(`line ${line}, column ${column}: required for a new sub-account (or give a subAccountId)`);
  const timeoutText = cell('incomingCallTimeout');
  let incomingCallTimeout: number | undefined;
  if (timeoutText !== '') {
    incomingCallTimeout = Number(timeoutText);
    if (!/^\d+$/.test(timeoutText)) problems.push(`line ${line}, column incomingCallTimeout: "${timeoutText}" is not a whole number of seconds`);
  }
  return {
    line,
    input: {
      newSubAccount: {
        name: cell('name'),
        timeZone: cell('timeZone'),
        twilioNumber: cell('twilioNumber'),
        forwardingNumber: cell('forwardingNumber'),
        ...(incomingCallTimeout === undefined ? {} : { incomingCallTimeout }),
      },
      customValues,
    },
  };
}

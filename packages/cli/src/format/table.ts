import Table from 'cli-table3';

type Cell = string | number | null | undefined;

export interface TableOptions {
  /** The column that takes the width left over and wraps (a reason, a list of changes). */
  wrapColumn?: number;
  /** The width to fit; default: the terminal's, or 120 when output goes to a file or pipe. */
  width?: number;
}

const MIN_WRAP_WIDTH = 24;

/**
 * A plain table: no colours, so it reads the same in a terminal, a pipe and a CI log. Cells that
 * are null or empty print as "-". One column may wrap so the table fits the terminal.
 */
export function renderTable(head: string[], rows: Cell[][], options: TableOptions = {}): string {
  const texts = rows.map((row) => row.map((cell) => (cell === null || cell === undefined || cell === '' ? '-' : String(cell))));
  const colWidths = options.wrapColumn === undefined ? undefined : widths(head, texts, options.wrapColumn, options.width ?? terminalWidth());
  const table = new Table({ head, style: { head: [], border: [] }, wordWrap: true, ...(colWidths ? { colWidths } : {}) });
  for (const row of texts) table.push(row);
  return table.toString();
}

/** Natural widths (longest line plus padding), the wrap column getting what is left of `total`. */
function widths(head: string[], rows: string[][], wrapColumn: number, total: number): number[] {
  const natural = head.map((title, column) => Math.max(...[title, ...rows.map((row) => row[column] ?? '')].flatMap((text) => text.split('\n')).map((line) => line.length)) + 2);
  const others = natural.reduce((sum, width, column) => (column === wrapColumn ? sum : sum + width), 0);
  const borders = head.length + 1;
  natural[wrapColumn] = Math.min(natural[wrapColumn]!, Math.max(MIN_WRAP_WIDTH, total - others - borders));
  return natural;
}

function terminalWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns : 120;
}

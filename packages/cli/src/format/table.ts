import Table from 'cli-table3';

/**
 * A plain table: no colours, so it reads the same in a terminal, a pipe and a CI log. Cells that
 * are null or undefined print as "-".
 */
export function renderTable(head: string[], rows: (string | number | null | undefined)[][]): string {
  const table = new Table({ head, style: { head: [], border: [] }, wordWrap: true });
  for (const row of rows) table.push(row.map((cell) => (cell === null || cell === undefined || cell === '' ? '-' : String(cell))));
  return table.toString();
}

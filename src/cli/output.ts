/** Results go to stdout; logs and progress go to stderr. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A plain aligned table; cells are cut to the terminal width only when stdout is a TTY. */
export function printTable(headers: string[], rows: (string | number | null)[][]): void {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const maxWidth = process.stdout.isTTY ? process.stdout.columns : Infinity;
  for (const row of cells) {
    const line = row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
    printLine(line.length > maxWidth ? `${line.slice(0, maxWidth - 1)}…` : line);
  }
}

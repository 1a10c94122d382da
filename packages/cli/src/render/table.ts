import { color } from './color.js';
import { formatCell } from './format.js';
import { padVisible, visibleWidth } from './text-width.js';

export interface Column<Row> {
  /** Header text, printed as given (mqadmin-compatible tables pass "#Topic" and the like). */
  header: string;
  /** Property of the row to print... */
  key?: keyof Row & string;
  /** ...or a function computing the cell. */
  get?: (row: Row) => unknown;
  /** Minimum width in cells, like the 32 of mqadmin's `%-32s`; the column grows for longer values. */
  minWidth?: number;
  /** Numbers read better right-aligned. */
  align?: 'left' | 'right';
}

export interface TableOptions {
  /** Between columns; mqadmin uses two spaces. */
  separator?: string;
  /** Print the header line (default true). */
  header?: boolean;
}

function cellOf<Row>(row: Row, column: Column<Row>): string {
  if (column.get) return formatCell(column.get(row));
  if (column.key) return formatCell(row[column.key]);
  return '';
}

/**
 * Renders rows as aligned columns (widths measured in visible cells, so coloured or CJK
 * cells still line up). Returns the text without a trailing newline; lines carry no
 * trailing spaces.
 */
export function table<Row>(rows: readonly Row[], columns: readonly Column<Row>[], options: TableOptions = {}): string {
  const separator = options.separator ?? '  ';
  const showHeader = options.header ?? true;
  const cells = rows.map((row) => columns.map((column) => cellOf(row, column)));
  const widths = columns.map((column, i) =>
    Math.max(column.minWidth ?? 0, showHeader ? visibleWidth(column.header) : 0, ...cells.map((line) => visibleWidth(line[i]!))),
  );
  const renderLine = (line: readonly string[]): string =>
    line
      .map((cell, i) => padVisible(cell, widths[i]!, columns[i]!.align))
      .join(separator)
      .trimEnd();
  const lines = cells.map(renderLine);
  if (showHeader) lines.unshift(color.bold(renderLine(columns.map((c) => c.header))));
  return lines.join('\n');
}

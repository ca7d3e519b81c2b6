// Real tables: a CSV read column by column, each cell a number, a piece of text or missing,
// with the dialect worked out from the file. Parsing streams: cells go straight into
// per-column growing arrays (a float64 value, and a text code once a column has text), so a
// file is never held whole; the cost is linear in its size. What the columns mean (numeric,
// categorical, an identifier, the label) is decided later, by the preprocessor.
import { ArgumentError, describe } from "@hone/tensor";
import { CsvError, Growing, NUMBER, Tokenizer, feedText, type CsvSource } from "./csv.js";

// ---------------------------------------------------------------------------------------
// Types

/** The cells Hone reads as missing unless told otherwise (compared after trimming spaces). */
export const DEFAULT_NA_VALUES: readonly string[] = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "null", "NULL", "None", "none", "#N/A", "<NA>", "?"];

/** Options of {@link readTable}. */
export interface ReadTableOptions {
  /** Whether the first record names the columns. Default `true`; a first record that is all numbers is then an error (pass `false`). */
  readonly header?: boolean;
  /** The field delimiter, one character, or `"auto"`: the one of `,` `;` tab `|` that splits the first line into the most fields (ties go to `,`). Default `"auto"`. */
  readonly delimiter?: string;
  /** Cells read as missing (after trimming spaces). Default {@link DEFAULT_NA_VALUES}. */
  readonly naValues?: readonly string[];
  /** The decimal mark: `"."` (default) or `","` (then `3,5` is 3.5; use with a `;` or tab delimiter). */
  readonly decimal?: "." | ",";
  /** Columns whose original text is kept cell for cell (`rawText(column, row)`), e.g. IDs to write back next to predictions. Default: none. */
  readonly keepText?: (name: string, index: number) => boolean;
}

/** One column of a {@link Table}. */
export interface TableColumn {
  /** The header name (or `column1`, `column2`, … without a header). */
  readonly name: string;
  /** Every cell as a number; `NaN` where the cell is missing or text. */
  readonly values: Float64Array;
  /** Per cell, the index into `levels` of its text, or −1 for a number or a missing cell. `null` when the column has no text at all. */
  readonly codes: Int32Array | null;
  /** The distinct texts of the column (trimmed), in order of first appearance. */
  readonly levels: readonly string[];
  /** Cells read as missing. */
  readonly missing: number;
  /** Cells holding text (not a number, not missing). */
  readonly text: number;
  /** The original text of each cell, when {@link ReadTableOptions.keepText} asked for it. */
  readonly raw: readonly string[] | null;
}

/** A table read by {@link readTable}: columns of equal length. */
export interface Table {
  /** Data rows (the header excluded). */
  readonly rows: number;
  /** The columns, in file order. */
  readonly columns: readonly TableColumn[];
  /** The delimiter used (detected or given). */
  readonly delimiter: string;
  /** Whether the first record was a header. */
  readonly header: boolean;
  /** The 1-based physical line of each data row, for messages. */
  readonly lines: Int32Array;
}

/** Why a CSV could not be read as a table: a {@link CsvError} with a machine-readable `code`. */
export class TableError extends CsvError {
  /** `"numeric-header"`, `"duplicate-header"`, `"non-finite"`, `"field-count"`, `"no-rows"`, `"one-column"`. */
  readonly code: "numeric-header" | "duplicate-header" | "non-finite" | "field-count" | "no-rows" | "one-column";

  /** An error of kind `code` at `line` (and `column`). */
  constructor(code: TableError["code"], message: string, line: number, column?: string | number) {
    super(message, line, column);
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------
// Building

const DECIMAL_COMMA = /^[+-]?\d*,\d+([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(inf|infinity)$/i;

class ColumnBuilder {
  readonly values = new Growing();
  codes: Int32Array | null = null;
  codeLength = 0;
  readonly levels: string[] = [];
  readonly #ids = new Map<string, number>();
  missing = 0;
  text = 0;
  raw: string[] | null;

  constructor(readonly name: string, keepRaw: boolean) {
    this.raw = keepRaw ? [] : null;
  }

  /** Records a text cell at row `row` (rows before it with no code get −1). */
  pushText(row: number, t: string): void {
    let id = this.#ids.get(t);
    if (id === undefined) {
      id = this.levels.length;
      this.levels.push(t);
      this.#ids.set(t, id);
    }
    if (this.codes === null) this.codes = new Int32Array(Math.max(1024, row + 1)).fill(-1);
    if (row >= this.codes.length) {
      const next = new Int32Array(Math.max(this.codes.length * 2, row + 1)).fill(-1);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[row] = id;
    this.text++;
  }

  finish(rows: number): TableColumn {
    const codes = this.codes === null ? null : this.codes.length === rows ? this.codes : this.codes.slice(0, rows);
    return { name: this.name, values: this.values.take(), codes, levels: this.levels, missing: this.missing, text: this.text, raw: this.raw };
  }
}

class TableBuilder {
  readonly #fn: string;
  readonly #header: boolean;
  readonly #na: Set<string>;
  readonly #keepText: ((name: string, index: number) => boolean) | undefined;
  readonly #comma: boolean;
  #columns: ColumnBuilder[] | null = null;
  #rows = 0;
  readonly #lines = new Growing();

  constructor(fn: string, header: boolean, na: Set<string>, keepText: ((name: string, index: number) => boolean) | undefined, comma: boolean) {
    this.#fn = fn;
    this.#comma = comma;
    this.#header = header;
    this.#na = na;
    this.#keepText = keepText;
  }

  columnName = (index: number): string | number => this.#columns?.[index]?.name ?? index;

  #setColumns(names: string[], line: number): void {
    if (names.length < 2) {
      throw new TableError("one-column", `${this.#fn}: line ${line} has ${names.length} column; a table needs at least a feature and a label (is the delimiter right? pass it with delimiter)`, line);
    }
    const seen = new Map<string, number>();
    names.forEach((n, i) => {
      const before = seen.get(n);
      if (before !== undefined) {
        throw new TableError("duplicate-header", `${this.#fn}: line ${line}: the header names column ${JSON.stringify(n)} twice (columns ${before + 1} and ${i + 1}); column names must be unique`, line, n);
      }
      seen.set(n, i);
    });
    this.#columns = names.map((n, i) => new ColumnBuilder(n, this.#keepText?.(n, i) ?? false));
  }

  onRecord = (fields: string[], line: number): void => {
    if (this.#columns === null) {
      if (this.#header) {
        const names = fields.map((f) => f.trim());
        if (names.every((n) => NUMBER.test(n))) {
          throw new TableError("numeric-header", `${this.#fn}: line ${line}: the header row is all numbers (${names.slice(0, 4).join(", ")}${names.length > 4 ? ", …" : ""}); if the file has no header, pass header: false`, line);
        }
        this.#setColumns(names.map((n, i) => (n === "" ? `column${i + 1}` : n)), line);
        return;
      }
      this.#setColumns(fields.map((_, i) => `column${i + 1}`), line);
    }
    const columns = this.#columns!;
    if (fields.length !== columns.length) {
      throw new TableError("field-count", `${this.#fn}: line ${line} has ${fields.length} fields, expected ${columns.length}${this.#header ? " (as in the header)" : " (as in the first line)"}`, line);
    }
    const row = this.#rows;
    for (let i = 0; i < fields.length; i++) {
      const col = columns[i]!;
      const text = fields[i]!;
      col.raw?.push(text);
      let t = text.trim();
      if (this.#na.has(t)) {
        col.values.push(NaN);
        col.missing++;
        continue;
      }
      if (this.#comma && DECIMAL_COMMA.test(t)) t = t.replace(",", ".");
      if (NUMBER.test(t)) {
        const v = Number(t);
        if (!Number.isFinite(v)) throw new TableError("non-finite", `${this.#fn}: line ${line}, column ${JSON.stringify(col.name)}: ${JSON.stringify(t)} is beyond float64's range (not a finite number)`, line, col.name);
        col.values.push(v);
        continue;
      }
      if (NON_FINITE.test(t)) throw new TableError("non-finite", `${this.#fn}: line ${line}, column ${JSON.stringify(col.name)}: ${JSON.stringify(t)} is not a finite number (mark missing cells as blank or NA)`, line, col.name);
      col.values.push(NaN);
      col.pushText(row, t);
    }
    this.#lines.push(line);
    this.#rows++;
  };

  finish(delimiter: string): Table {
    if (this.#columns === null || this.#rows === 0) throw new TableError("no-rows", `${this.#fn}: no data rows`, 1);
    const rows = this.#rows;
    return {
      rows,
      columns: this.#columns.map((c) => c.finish(rows)),
      delimiter,
      header: this.#header,
      lines: Int32Array.from(this.#lines.take()),
    };
  }
}

// ---------------------------------------------------------------------------------------
// Dialect

const CANDIDATES = [",", ";", "\t", "|"];

/** The delimiter that splits `line` (outside quotes) into the most fields; `,` on a tie or when none appears. */
export function detectDelimiter(line: string): string {
  const counts = new Map(CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ",";
  for (const d of CANDIDATES) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

function checkOptions(fn: string, options: ReadTableOptions): { header: boolean; delimiter: string; na: Set<string>; comma: boolean } {
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const header = options.header ?? true;
  if (typeof header !== "boolean") throw new ArgumentError(`${fn}: header must be true or false, got ${describe(header)}`);
  const delimiter = options.delimiter ?? "auto";
  if (delimiter !== "auto" && (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r")) {
    throw new ArgumentError(`${fn}: delimiter must be "auto" or one character other than a quote or line break, got ${describe(delimiter)}`);
  }
  const naValues = options.naValues ?? DEFAULT_NA_VALUES;
  if (!Array.isArray(naValues) || !naValues.every((v) => typeof v === "string")) throw new ArgumentError(`${fn}: naValues must be an array of strings, got ${describe(naValues)}`);
  const badNa = naValues.find((v) => NUMBER.test(v.trim()));
  if (badNa !== undefined) throw new ArgumentError(`${fn}: naValues must not hold numbers (${JSON.stringify(badNa)} would hide real values)`);
  if (options.keepText !== undefined && typeof options.keepText !== "function") throw new ArgumentError(`${fn}: keepText must be a function (name, index) => boolean, got ${describe(options.keepText)}`);
  const decimal = options.decimal ?? ".";
  if (decimal !== "." && decimal !== ",") throw new ArgumentError(`${fn}: decimal must be "." or ",", got ${describe(decimal)}`);
  if (decimal === "," && delimiter === ",") throw new ArgumentError(`${fn}: decimal "," needs another delimiter than ","`);
  return { header, delimiter, na: new Set(naValues.map((v) => v.trim())), comma: decimal === "," };
}

// ---------------------------------------------------------------------------------------
// Public API

/**
 * Reads a CSV into a {@link Table}: every column kept, each cell a number, a text or
 * missing. The delimiter is detected from the first line unless given; quoting follows
 * RFC 4180 (CRLF or LF, blank lines and lines of only spaces and tabs skipped, a
 * byte-order mark ignored). Refused with the line and column: rows with the wrong number
 * of fields, cells beyond float64's range (`1e309`) or infinite (`inf`), duplicate header
 * names, and a header that is all numbers (pass `header: false`). Cells in `naValues` are
 * missing. Empty header names become `column1`, `column2`, …. Memory: 8 bytes a cell, plus
 * 4 for columns with text.
 *
 * @example
 * ```ts
 * import { readTable } from "@hone/data-split";
 * const t = await readTable("id;city;temp\nP01;north;3.5\nP02;;NA\n");
 * t.delimiter; // ";"
 * t.columns.map((c) => [c.name, c.text, c.missing]); // [["id", 2, 0], ["city", 1, 1], ["temp", 0, 1]]
 * ```
 */
export async function readTable(source: CsvSource, options: ReadTableOptions = {}): Promise<Table> {
  const fn = "readTable";
  const { header, delimiter, na, comma } = checkOptions(fn, options);
  const builder = new TableBuilder(fn, header, na, options.keepText, comma);
  let tokenizer: Tokenizer | null = null;
  let pending = "";
  let chosen = delimiter === "auto" ? null : delimiter;
  const begin = (text: string): void => {
    chosen ??= detectDelimiter(firstLine(text));
    if (comma && chosen === ",") throw new ArgumentError(`${fn}: decimal "," needs another delimiter than ","; the first line reads as comma-separated`);
    tokenizer = new Tokenizer(fn, chosen, builder.onRecord, builder.columnName);
    tokenizer.push(text);
  };
  await feedText(fn, source, (text) => {
    if (tokenizer !== null) {
      tokenizer.push(text);
      return;
    }
    // Hold text back until the first line is complete (or 1 MB), to detect the delimiter.
    pending += text;
    if (chosen !== null || /[\r\n]/.test(stripLeadingBlank(pending)) || pending.length > 1 << 20) {
      const all = pending;
      pending = "";
      begin(all);
    }
  });
  if (tokenizer === null) begin(pending);
  tokenizer!.end();
  return builder.finish(chosen!);
}

/** `text` without its leading blank lines (empty, or only spaces and tabs), which the tokenizer skips too. */
function stripLeadingBlank(text: string): string {
  return text.replace(/^(?:[^\S\r\n]*(?:\r\n|\r|\n))+/, "");
}

function firstLine(text: string): string {
  const t = stripLeadingBlank(text);
  const end = t.search(/[\r\n]/);
  return end < 0 ? t : t.slice(0, end);
}

/**
 * The cell at `row` of `column` as text: the original text when the column kept it, else
 * its level, its number in JavaScript's shortest form, or `""` when missing.
 *
 * @example
 * ```ts
 * import { readTable, cellText } from "@hone/data-split";
 * const t = await readTable("a,b\n1.50,x\n,y\n");
 * [cellText(t.columns[0]!, 0), cellText(t.columns[0]!, 1), cellText(t.columns[1]!, 1)]; // ["1.5", "", "y"]
 * ```
 */
export function cellText(column: TableColumn, row: number): string {
  if (column.raw !== null) return column.raw[row] ?? "";
  const code = column.codes?.[row] ?? -1;
  if (code >= 0) return column.levels[code]!;
  const v = column.values[row]!;
  return Number.isNaN(v) ? "" : String(v);
}

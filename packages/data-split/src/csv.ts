// CSV in and out. Parsing is streaming: text (or UTF-8 bytes) arrives in chunks of any size,
// split anywhere, and values go straight into a growing Float64Array; neither the whole text
// nor an array of rows is ever built. Quoting follows RFC 4180. No node:fs here: the caller
// opens the file (fs.createReadStream in Node, a File's stream in the browser).
import { ArgumentError, HoneError, Tensor, describe, formatShape } from "@hone/tensor";
import { checkRows, rowSize } from "./util.js";

// ---------------------------------------------------------------------------------------
// Types

/** A malformed CSV input. `line` is 1-based (the physical line); `column` names the column when known. */
export class CsvError extends HoneError {
  /** The 1-based line of the problem. */
  readonly line: number;
  /** The column's name (header) or 0-based index, when the problem is in one column. */
  readonly column: string | number | undefined;

  /** An error at `line` (and `column`). */
  constructor(message: string, line: number, column?: string | number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

/** Options of {@link parseCsv} and {@link parseCsvText}. */
export interface CsvOptions {
  /** The label column: its header name, or its 0-based index (negative counts from the end). Default `-1` (the last column). */
  readonly label?: string | number;
  /** Whether the first record is a header of column names. Default `true`. */
  readonly header?: boolean;
  /** The field delimiter, one character (not a quote or line break). Default `","`. */
  readonly delimiter?: string;
  /**
   * How to read labels: `"number"` (numeric targets), `"class"` (names mapped to 0..k−1),
   * or `"auto"`: numeric when the first data row's label is a number, else class names.
   * Default `"auto"`.
   */
  readonly labelType?: "auto" | "number" | "class";
}

/** A parsed CSV file. */
export interface CsvData {
  /** The feature columns, shape (m, features), float64, in file order without the label. */
  readonly x: Tensor;
  /** The label column, shape (m,): numbers, or class ids 0..k−1 when the labels are names. */
  readonly y: Tensor;
  /** The feature columns' names (header names, or `x0`, `x1`, … without a header). */
  readonly featureNames: string[];
  /** The label column's name (header name, or `y` without a header). */
  readonly labelName: string;
  /** For class labels: the names, sorted (numerically if all look like numbers, else by code unit); y = index into this. */
  readonly classes?: string[];
}

/** Options of {@link toCsv}. */
export interface ToCsvOptions {
  /** Names for x's features. Default `x0`, `x1`, …. */
  readonly featureNames?: readonly string[];
  /** Name of the label column. Default `"y"`. */
  readonly labelName?: string;
  /** Class names: y holds ids into this list and the names are written. Default: write y's numbers. */
  readonly classes?: readonly string[];
  /** Field delimiter. Default `","`. */
  readonly delimiter?: string;
}

// ---------------------------------------------------------------------------------------
// Tokenizer: characters → records, across chunk boundaries.

const QUOTE = 34, LF = 10, CR = 13;

/** Characters → records (arrays of field strings), across chunk boundaries. Internal: shared with table.ts. */
export class Tokenizer {
  #field = "";
  #fields: string[] = [];
  #fieldStarted = false;
  #quoted = false;
  #inQuotes = false;
  #afterQuote = false;
  #pendingCR = false;
  /** Inside quotes, the last character was a CR (so a LF right after it ends the same line). */
  #quotedCR = false;
  #line = 1;
  #recordLine = 1;
  #quoteLine = 1;
  readonly #delim: number;

  constructor(
    readonly fn: string,
    delimiter: string,
    readonly onRecord: (fields: string[], line: number) => void,
    readonly columnName: (index: number) => string | number,
  ) {
    this.#delim = delimiter.charCodeAt(0);
  }

  #error(message: string): never {
    const column = this.columnName(this.#fields.length);
    const where = typeof column === "number" ? `column ${column}` : `column ${JSON.stringify(column)}`;
    throw new CsvError(`${this.fn}: line ${this.#line}, ${where}: ${message}`, this.#line, column);
  }

  #endField(): void {
    this.#fields.push(this.#field);
    this.#field = "";
    this.#fieldStarted = false;
    this.#quoted = false;
    this.#afterQuote = false;
  }

  #endRecord(): void {
    // An empty line, or one of spaces and tabs only (no delimiter, no quote), is skipped.
    const blank = this.#fields.length === 0 && !this.#quoted && (!this.#fieldStarted || this.#field.trim() === "");
    if (!blank) {
      this.#endField();
      const fields = this.#fields;
      this.#fields = [];
      this.onRecord(fields, this.#recordLine);
    } else {
      this.#field = "";
      this.#fieldStarted = false;
    }
  }

  #newline(code: number): void {
    this.#endRecord();
    this.#line++;
    this.#recordLine = this.#line;
    this.#pendingCR = code === CR;
  }

  push(chunk: string): void {
    const n = chunk.length;
    const delim = this.#delim;
    let i = 0;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (this.#pendingCR) {
        this.#pendingCR = false;
        if (c === LF) { i++; continue; }
      }
      if (this.#inQuotes) {
        const q = chunk.indexOf('"', i);
        const end = q < 0 ? n : q;
        // Line breaks inside quotes count as physical lines too: LF, CR, or CRLF (once).
        for (let j = i; j < end; j++) {
          const d = chunk.charCodeAt(j);
          if (d === CR || (d === LF && !this.#quotedCR)) this.#line++;
          this.#quotedCR = d === CR;
        }
        this.#field += chunk.slice(i, end);
        if (q < 0) break;
        this.#inQuotes = false;
        this.#quotedCR = false;
        this.#afterQuote = true;
        i = q + 1;
        continue;
      }
      if (this.#afterQuote) {
        if (c === QUOTE) { this.#field += '"'; this.#inQuotes = true; this.#afterQuote = false; i++; continue; }
        if (c !== delim && c !== LF && c !== CR) {
          this.#error(`unexpected ${JSON.stringify(chunk[i])} after the closing quote of a quoted field (write "" for a quote inside quotes)`);
        }
      }
      if (c === delim) { this.#endField(); i++; continue; }
      if (c === LF || c === CR) { this.#newline(c); i++; continue; }
      if (c === QUOTE) {
        if (this.#fieldStarted) this.#error('a quote inside an unquoted field (quote the whole field and write "" for a quote)');
        this.#fieldStarted = true;
        this.#quoted = true;
        this.#inQuotes = true;
        this.#quoteLine = this.#line;
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n) {
        const d = chunk.charCodeAt(j);
        if (d === delim || d === LF || d === CR || d === QUOTE) break;
        j++;
      }
      this.#field += chunk.slice(i, j);
      this.#fieldStarted = true;
      i = j;
    }
  }

  end(): void {
    if (this.#inQuotes) {
      throw new CsvError(`${this.fn}: line ${this.#quoteLine}: a quoted field is never closed (unterminated quote)`, this.#quoteLine);
    }
    this.#endRecord();
  }
}

// ---------------------------------------------------------------------------------------
// Builder: records → growing Float64Arrays.

export const NUMBER: RegExp = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A strictly parsed number (surrounding spaces and tabs allowed), or NaN for anything else. */
export function parseNumber(text: string): number {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : NaN;
}

/** A doubling Float64Array. Internal: shared with table.ts. */
export class Growing {
  data: Float64Array = new Float64Array(1024);
  length: number = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  /** The values, trimmed to their length (a copy only when the buffer has spare room). */
  take(): Float64Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Builder {
  readonly #fn: string;
  readonly #header: boolean;
  /** The label column, or null for a file of features only. */
  readonly #label: string | number | null;
  #labelType: "auto" | "number" | "class";
  #names: string[] | null = null;
  #width = -1;
  #labelIndex = -1;
  #x = new Growing();
  #y = new Growing();
  readonly #classIds = new Map<string, number>();

  constructor(fn: string, options: CsvOptions, label: string | number | null) {
    this.#fn = fn;
    this.#header = options.header ?? true;
    this.#label = label;
    this.#labelType = options.labelType ?? "auto";
  }

  columnName = (index: number): string | number => this.#names?.[index] ?? index;

  #columnError(line: number, index: number, message: string): never {
    const column = this.columnName(index);
    const where = typeof column === "number" ? `column ${column}` : `column ${JSON.stringify(column)}`;
    throw new CsvError(`${this.#fn}: line ${line}, ${where}: ${message}`, line, column);
  }

  #setColumns(width: number, names: string[] | null, line: number): void {
    this.#width = width;
    this.#names = names;
    const label = this.#label;
    if (label === null) {
      this.#labelIndex = -1;
      return;
    }
    if (typeof label === "string") {
      const hits = names === null ? [] : names.flatMap((n, i) => (n === label ? [i] : []));
      if (names === null) {
        throw new ArgumentError(`${this.#fn}: label ${JSON.stringify(label)} is a column name, but header is false; pass the column's index`);
      }
      if (hits.length === 0) {
        throw new CsvError(`${this.#fn}: no label column ${JSON.stringify(label)}; the columns are ${names.map((n) => JSON.stringify(n)).join(", ")}`, line);
      }
      if (hits.length > 1) throw new CsvError(`${this.#fn}: label column ${JSON.stringify(label)} appears ${hits.length} times (columns ${hits.join(", ")}); pass its index`, line);
      this.#labelIndex = hits[0]!;
    } else {
      if (!(label >= -width && label < width)) {
        throw new CsvError(`${this.#fn}: label column index ${label} is out of range for ${width} columns (use 0..${width - 1}, or -1 for the last)`, line);
      }
      this.#labelIndex = label < 0 ? width + label : label;
    }
    if (width < 2) throw new CsvError(`${this.#fn}: line ${line} has ${width} column; need at least one feature and the label`, line);
  }

  onRecord = (fields: string[], line: number): void => {
    if (this.#width < 0) {
      if (this.#header) {
        this.#setColumns(fields.length, fields.map((f) => f.trim()), line);
        return;
      }
      this.#setColumns(fields.length, null, line);
    }
    if (fields.length !== this.#width) {
      throw new CsvError(`${this.#fn}: line ${line} has ${fields.length} fields, expected ${this.#width}${this.#header ? " (as in the header)" : " (as in the first line)"}`, line);
    }
    for (let i = 0; i < fields.length; i++) {
      const text = fields[i];
      if (i === this.#labelIndex) {
        this.#pushLabel(text, line, i);
        continue;
      }
      const v = parseNumber(text);
      if (Number.isNaN(v)) this.#columnError(line, i, `expected a number, got ${JSON.stringify(text)}`);
      if (!Number.isFinite(v)) this.#columnError(line, i, `${JSON.stringify(text.trim())} is beyond float64's range (not a finite number)`);
      this.#x.push(v);
    }
  };

  #pushLabel(text: string, line: number, index: number): void {
    if (this.#labelType === "auto") this.#labelType = Number.isNaN(parseNumber(text)) ? "class" : "number";
    if (this.#labelType === "number") {
      const v = parseNumber(text);
      if (Number.isNaN(v)) this.#columnError(line, index, `expected a numeric label, got ${JSON.stringify(text)} (labels are numeric: the first row's is a number; pass labelType: "class" for class names)`);
      if (!Number.isFinite(v)) this.#columnError(line, index, `label ${JSON.stringify(text.trim())} is beyond float64's range (not a finite number)`);
      this.#y.push(v);
      return;
    }
    const name = text.trim();
    if (name === "") this.#columnError(line, index, "empty class label");
    let id = this.#classIds.get(name);
    if (id === undefined) {
      id = this.#classIds.size;
      this.#classIds.set(name, id);
    }
    this.#y.push(id);
  }

  finish(): CsvData {
    const features = this.#labelIndex < 0 ? this.#width : this.#width - 1;
    const m = this.#labelIndex < 0 ? this.#x.length / Math.max(features, 1) : this.#y.length;
    if (this.#width < 0 || m === 0) throw new CsvError(`${this.#fn}: no data rows`, 1);
    const f = features;
    const li = this.#labelIndex;
    const names = this.#names ?? Array.from({ length: this.#width }, (_, i) => (i === li ? "y" : `x${li < 0 || i < li ? i : i - 1}`));
    const featureNames = names.filter((_, i) => i !== this.#labelIndex);
    const labelName = li < 0 ? "" : names[li]!;
    const x = new Tensor(this.#x.take(), [m, f]);
    const y = this.#y.take();
    if (li < 0) return { x, y: new Tensor(new Float64Array(0), [0]), featureNames, labelName };
    if (this.#labelType !== "class") return { x, y: new Tensor(y, [m]), featureNames, labelName };
    const provisional = Array.from(this.#classIds.keys());
    const numeric = provisional.every((n) => !Number.isNaN(parseNumber(n)));
    const classes = provisional.slice().sort(numeric ? (a, b) => parseNumber(a) - parseNumber(b) || compareNames(a, b) : compareNames);
    const rank = new Map(classes.map((n, i) => [n, i]));
    const remap = provisional.map((n) => rank.get(n)!);
    for (let i = 0; i < m; i++) y[i] = remap[y[i]]!;
    return { x, y: new Tensor(y, [m]), featureNames, labelName, classes };
  }
}

function checkCsvOptions(fn: string, options: CsvOptions): string {
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new ArgumentError(`${fn}: delimiter must be one character other than a quote or line break, got ${describe(delimiter)}`);
  }
  const label = options.label ?? -1;
  if (typeof label !== "string" && !(typeof label === "number" && Number.isInteger(label))) {
    throw new ArgumentError(`${fn}: label must be a column name or an integer index, got ${describe(label)}`);
  }
  if (options.header !== undefined && typeof options.header !== "boolean") throw new ArgumentError(`${fn}: header must be true or false, got ${describe(options.header)}`);
  const labelType = options.labelType ?? "auto";
  if (labelType !== "auto" && labelType !== "number" && labelType !== "class") {
    throw new ArgumentError(`${fn}: labelType must be "auto", "number" or "class", got ${describe(labelType)}`);
  }
  return delimiter;
}

function start(fn: string, options: CsvOptions, withLabel = true): { tokenizer: Tokenizer; builder: Builder } {
  const delimiter = checkCsvOptions(fn, options);
  const builder = new Builder(fn, options, withLabel ? options.label ?? -1 : null);
  return { tokenizer: new Tokenizer(fn, delimiter, builder.onRecord, builder.columnName), builder };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// ---------------------------------------------------------------------------------------
// Public API

/**
 * Parses CSV text held in memory into features x, a label column y and the column names.
 * Same rules as {@link parseCsv}.
 *
 * @example
 * ```ts
 * import { parseCsvText } from "@hone/data-split";
 * const { x, y, featureNames } = parseCsvText("a,b,label\n1,2,cat\n3,4,dog\n", { label: "label" });
 * console.log(x.toArray(), y.toArray(), featureNames); // [[1, 2], [3, 4]] [0, 1] ["a", "b"]
 * ```
 */
export function parseCsvText(text: string, options: CsvOptions = {}): CsvData {
  const fn = "parseCsvText";
  if (typeof text !== "string") throw new ArgumentError(`${fn}: text must be a string, got ${describe(text)}`);
  const { tokenizer, builder } = start(fn, options);
  tokenizer.push(stripBom(text));
  tokenizer.end();
  return builder.finish();
}

/**
 * Parses CSV from a string or a stream of chunks (strings or UTF-8 bytes, split anywhere,
 * e.g. a Node `fs.createReadStream(path)` or a browser `file.stream()`) into features x
 * (m, features), a label column y (m,), and the column names. Records follow RFC 4180
 * (quoted fields may hold delimiters, line breaks and "" for a quote; CRLF or LF line
 * ends; blank lines and lines of only spaces and tabs skipped; a UTF-8 byte-order mark
 * ignored). Every feature cell must be a finite number (decimal or exponent notation,
 * surrounding spaces allowed): empty cells, "abc", "1,2", "NaN", "Infinity" and numbers
 * beyond float64's range ("1e999") are errors naming the line and column. Class-name labels map
 * to 0..k−1 in sorted order (`classes`). Memory: values stream into a doubling Float64Array;
 * the text and rows are never held whole (peak ≈ 3× the final x for a moment while the
 * buffer is trimmed).
 *
 * @example
 * ```ts
 * import { parseCsv } from "@hone/data-split";
 * async function* chunks() { yield "x1,x2,y\n1,2,"; yield "0\n3,4,1\n"; }
 * const { x, y } = await parseCsv(chunks(), { label: "y" });
 * console.log(x.shape, y.toArray()); // [2, 2] [0, 1]
 * ```
 */
export async function parseCsv(source: CsvSource, options: CsvOptions = {}): Promise<CsvData> {
  return read("parseCsv", source, options, true);
}

/** Options of {@link parseCsvFeatures}: those of {@link parseCsv} without a label. */
export type CsvFeaturesOptions = Omit<CsvOptions, "label" | "labelType">;

/**
 * Parses a CSV file of features only (no label column), as `hone predict` reads its input:
 * every column must be numeric. Same rules and errors as {@link parseCsv}.
 *
 * @example
 * ```ts
 * import { parseCsvFeatures } from "@hone/data-split";
 * const { x, featureNames } = await parseCsvFeatures("a,b\n1,2\n3,4\n");
 * console.log(x.toArray(), featureNames); // [[1, 2], [3, 4]] ["a", "b"]
 * ```
 */
export async function parseCsvFeatures(source: CsvSource, options: CsvFeaturesOptions = {}): Promise<{ x: Tensor; featureNames: string[] }> {
  const { x, featureNames } = await read("parseCsvFeatures", source, options, false);
  return { x, featureNames };
}

/** What the CSV readers accept: the text, or a stream of chunks (strings or UTF-8 bytes). */
export type CsvSource = string | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

async function read(fn: string, source: CsvSource, options: CsvOptions, withLabel: boolean): Promise<CsvData> {
  const { tokenizer, builder } = start(fn, options, withLabel);
  await feedText(fn, source, (text) => tokenizer.push(text));
  tokenizer.end();
  return builder.finish();
}

/**
 * Calls `push` with the text of `source` piece by piece: a string at once, or each chunk of
 * an (async) iterable of strings or UTF-8 bytes, decoded strictly (a character split across
 * chunks is joined). A leading byte-order mark is dropped. Internal: shared with table.ts.
 */
export async function feedText(fn: string, source: CsvSource, push: (text: string) => void): Promise<void> {
  if (typeof source === "string") {
    push(stripBom(source));
    return;
  }
  if (source === null || typeof source !== "object" || !(Symbol.asyncIterator in source || Symbol.iterator in source)) {
    throw new ArgumentError(`${fn}: source must be a string or an (async) iterable of strings or Uint8Arrays, got ${describe(source)}`);
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let first = true;
  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === "string") {
      text = chunk;
    } else if (chunk instanceof Uint8Array) {
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new ArgumentError(`${fn}: the input is not valid UTF-8`);
      }
    } else {
      throw new ArgumentError(`${fn}: chunks must be strings or Uint8Arrays, got ${describe(chunk)}`);
    }
    if (first && text.length > 0) {
      text = stripBom(text);
      first = false;
    }
    push(text);
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw new ArgumentError(`${fn}: the input ends inside a UTF-8 character`);
  }
  push(rest);
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function csvField(text: string, delimiter: string): string {
  return NEEDS_QUOTES.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Writes x (m, features) and y (m,) or (m, 1) as CSV text: a header, then one line per
 * row with the features and the label last, LF line ends, numbers in JavaScript's shortest
 * round-trip form (so {@link parseCsv} reads back the same float64 values), names quoted
 * per RFC 4180 when needed. NaN and ±Infinity are errors.
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * import { toCsv } from "@hone/data-split";
 * toCsv(tensor([[1, 0.5], [2, 1e-7]]), tensor([0, 1]), { featureNames: ["a", "b"], classes: ["no", "yes"] });
 * // "a,b,y\n1,0.5,no\n2,1e-7,yes\n"
 * ```
 */
export function toCsv(x: Tensor, y: Tensor, options: ToCsvOptions = {}): string {
  const fn = "toCsv";
  const m = checkRows(fn, "x", x);
  const my = checkRows(fn, "y", y);
  if (my !== m) throw new ArgumentError(`${fn}: x has ${m} rows (shape ${formatShape(x.shape)}) but y has ${my} (shape ${formatShape(y.shape)})`);
  if (rowSize(y) !== 1) throw new ArgumentError(`${fn}: y must have shape (m,) or (m, 1), got ${formatShape(y.shape)}`);
  const f = rowSize(x);
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new ArgumentError(`${fn}: delimiter must be one character other than a quote or line break, got ${describe(delimiter)}`);
  }
  const names = options.featureNames ?? Array.from({ length: f }, (_, j) => `x${j}`);
  if (!Array.isArray(names) || names.length !== f || !names.every((n) => typeof n === "string")) {
    throw new ArgumentError(`${fn}: featureNames must be ${f} strings (one per feature), got ${describe(names)}`);
  }
  const labelName = options.labelName ?? "y";
  const classes = options.classes;
  const parts: string[] = [[...names, labelName].map((n) => csvField(n, delimiter)).join(delimiter)];
  for (let i = 0; i < m; i++) {
    const row: string[] = [];
    for (let j = 0; j < f; j++) {
      const v = x.data[i * f + j];
      if (!Number.isFinite(v)) throw new ArgumentError(`${fn}: x has ${v} at row ${i}, feature ${j}; CSV cells must be finite numbers`);
      row.push(String(v));
    }
    const label = y.data[i];
    if (classes !== undefined) {
      const name = Number.isInteger(label) ? classes[label] : undefined;
      if (name === undefined) throw new ArgumentError(`${fn}: y[${i}] = ${label} is not a class id in [0, ${classes.length - 1}]`);
      row.push(csvField(name, delimiter));
    } else {
      if (!Number.isFinite(label)) throw new ArgumentError(`${fn}: y has ${label} at row ${i}; CSV cells must be finite numbers`);
      row.push(String(label));
    }
    parts.push(row.join(delimiter));
  }
  return parts.join("\n") + "\n";
}

// What a guide example returned, drawn for the page rather than printed: tensors as tables,
// series of numbers (costs per epoch, a history) as small charts drawn with Observable Plot,
// rows of records and objects of scalars as tables, nested objects as labelled sections.
// Reads the plain JSON that render.ts writes (numbers already rounded, tensors as
// `{ shape, values }`, cut-off arrays ending in a "… n more" string). Runs on the page only.
import * as Plot from "@observablehq/plot";

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
type Scalar = null | boolean | number | string;

/** Number arrays at least this long are drawn as a chart; shorter ones are written inline. */
const CHART_FROM = 8;
/** Rows of records at least this long are drawn as a chart of their numeric columns. */
const RECORD_CHART_FROM = 16;

const isScalar = (p: Plain): p is Scalar => p === null || typeof p !== "object";
const isRecord = (p: Plain): p is { [key: string]: Plain } => p !== null && typeof p === "object" && !Array.isArray(p);
/** A cut-off array's last item, "… 40 more". */
const isMore = (p: Plain): p is string => typeof p === "string" && p.startsWith("… ");

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function scalarText(p: Scalar): string {
  return p === null ? "null" : String(p);
}

/** The plain form of a tensor: `{ shape, values }`. */
function isTensor(p: Plain): p is { shape: number[]; values: Plain[] } {
  return isRecord(p) && Object.keys(p).length === 2 && Array.isArray(p.shape) && p.shape.every((d) => typeof d === "number") && Array.isArray(p.values);
}

/** A tensor as a table: a matrix by rows and columns, anything else as one row; values not shown are marked. */
function tensorTable(t: { shape: number[]; values: Plain[] }): HTMLElement {
  const box = el("div", "rv-block");
  const shown = t.values.filter((v) => !isMore(v));
  const more = t.values.find(isMore);
  box.append(el("div", "rv-caption", `Tensor [${t.shape.join(", ")}]${more === undefined ? "" : ` (first ${shown.length} values; ${more.slice(2)})`}`));
  const table = el("table", "rv-table rv-tensor");
  const cols = t.shape.length === 2 ? t.shape[1]! : Math.max(shown.length, 1);
  for (let start = 0; start < shown.length; start += cols) {
    const tr = document.createElement("tr");
    for (const v of shown.slice(start, start + cols)) tr.append(el("td", "rv-num", isScalar(v) ? scalarText(v) : JSON.stringify(v)));
    table.append(tr);
  }
  box.append(table);
  return box;
}

/** A series of numbers as a small line chart, with its first and last values written under it. */
function seriesChart(values: number[], note: string, more: string | undefined): HTMLElement {
  const box = el("div", "rv-block");
  box.append(Plot.plot({
    width: 320, height: 110, marginLeft: 44, marginBottom: 22, marginTop: 8,
    x: { label: null, ticks: 4 }, y: { grid: true, label: null, ticks: 3 },
    marks: [Plot.lineY(values, { x: (_: number, i: number) => i, y: (v: number) => v, stroke: "var(--vp-c-brand-1)", strokeWidth: 1.5 })],
  }));
  const count = more === undefined ? `${values.length} values` : `the first ${values.length} values (${more.slice(2)})`;
  box.append(el("div", "rv-caption", `${note}: ${count}, ${values[0]} → ${values.at(-1)}`));
  return box;
}

/** Records with the same keys, all scalar: a table, or for many rows a chart of the numeric columns. */
function recordRows(rows: { [key: string]: Plain }[], more: string | undefined): HTMLElement {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const numeric = keys.filter((k) => rows.every((r) => typeof r[k] === "number"));
  if (rows.length >= RECORD_CHART_FROM && numeric.length > 0) {
    const box = el("div", "rv-block");
    const long = rows.flatMap((r, i) => numeric.map((k) => ({ i, key: k, value: r[k] as number })));
    box.append(Plot.plot({
      width: 420, height: 150, marginLeft: 44, marginBottom: 24, marginTop: 8,
      x: { label: "row", ticks: 5 }, y: { grid: true, label: null },
      color: { legend: numeric.length > 1, type: "categorical" },
      marks: [Plot.lineY(long, { x: "i", y: "value", stroke: "key", strokeWidth: 1.5 })],
    }));
    box.append(el("div", "rv-caption", `${rows.length} rows${more === undefined ? "" : ` (${more.slice(2)})`}`));
    return box;
  }
  const table = el("table", "rv-table");
  const head = document.createElement("tr");
  for (const k of keys) head.append(el("th", "", k));
  table.append(head);
  for (const r of rows) {
    const tr = document.createElement("tr");
    for (const k of keys) {
      const v = r[k] ?? null;
      tr.append(el("td", typeof v === "number" ? "rv-num" : "", isScalar(v) ? scalarText(v) : JSON.stringify(v)));
    }
    table.append(tr);
  }
  if (more !== undefined) {
    const tr = document.createElement("tr");
    const td = el("td", "rv-more", more);
    td.colSpan = keys.length;
    tr.append(td);
    table.append(tr);
  }
  return table;
}

/**
 * `plain` (what render.ts makes of an example's result) as page elements.
 *
 * @example
 * ```ts
 * host.replaceChildren(drawResult(JSON.parse(render({ costs: [0.69, 0.5, 0.41] }))));
 * ```
 */
export function drawResult(plain: Plain, label = "values"): HTMLElement {
  if (isScalar(plain)) return el("div", "rv-scalar", scalarText(plain));
  if (isTensor(plain)) return tensorTable(plain);
  if (Array.isArray(plain)) {
    const more = plain.find(isMore);
    const items = plain.filter((p) => !isMore(p));
    if (items.length >= CHART_FROM && items.every((p) => typeof p === "number")) return seriesChart(items as number[], label, more);
    if (items.length > 0 && items.every((p) => isRecord(p) && !isTensor(p) && Object.values(p).every(isScalar))) return recordRows(items as { [key: string]: Plain }[], more);
    if (items.every(isScalar)) return el("div", "rv-scalar", `[${plain.map((p) => scalarText(p as Scalar)).join(", ")}]`);
    const list = el("div", "rv-list");
    items.forEach((p, i) => list.append(section(`[${i}]`, p)));
    if (more !== undefined) list.append(el("div", "rv-more", more));
    return list;
  }
  // An object: its scalar fields in one key/value table, every other field a labelled section.
  const box = el("div", "rv-object");
  const scalars = Object.entries(plain).filter(([, v]) => isScalar(v) || (Array.isArray(v) && v.length < CHART_FROM && v.every(isScalar)));
  if (scalars.length > 0) {
    const table = el("table", "rv-table rv-fields");
    for (const [k, v] of scalars) {
      const tr = document.createElement("tr");
      tr.append(el("th", "", k), el("td", typeof v === "number" ? "rv-num" : "", isScalar(v) ? scalarText(v) : `[${(v as Scalar[]).map(scalarText).join(", ")}]`));
      table.append(tr);
    }
    box.append(table);
  }
  for (const [k, v] of Object.entries(plain)) if (!scalars.some(([s]) => s === k)) box.append(section(k, v));
  return box;
}

function section(title: string, value: Plain): HTMLElement {
  const box = el("div", "rv-section");
  box.append(el("div", "rv-title", title), drawResult(value, title));
  return box;
}

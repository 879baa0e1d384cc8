// Small collection helpers the stages share (inverted indexes, groupings, growable and narrow typed arrays, selection).

/** Append `value` to the list under `key`, creating the list on first use. */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type NumberArray = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/** What narrowestFor chooses among. */
export type CountArray = Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array;

/**
 * The narrowest typed array that holds each of `values` exactly: one byte, two or four for
 * whole numbers from 0, else Float32 when every value is exact in it, else Float64. Counts of
 * words in an article nearly always fit a byte, and 10,000 articles hold millions of them.
 */
export function narrowestFor(values: ArrayLike<number>): new (length: number) => CountArray {
  let whole = true;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isInteger(value) || value < 0) whole = false;
    else if (value > max) max = value;
  }
  if (whole) return max <= 0xff ? Uint8Array : max <= 0xffff ? Uint16Array : max <= 0x7fffffff ? Int32Array : Float64Array;
  for (let i = 0; i < values.length; i++) if (Math.fround(values[i]) !== values[i]) return Float64Array;
  return Float32Array;
}

/** A copy of `array` with room for `capacity` values (its values kept, as many as fit). */
export function grown<T extends NumberArray>(array: T, capacity: number): T {
  const copy = new (array.constructor as new (length: number) => T)(capacity);
  copy.set(array.subarray(0, Math.min(array.length, capacity)));
  return copy;
}

/**
 * Row-major (row → column, weight) entries transposed to column-major postings: rows ascending
 * within each column. Without weights, the postings carry none.
 */
export function transpose(rowStart: Int32Array, columns: Int32Array, weights: Float64Array, columnCount: number): { start: Int32Array; rows: Int32Array; weights: Float64Array };
export function transpose(rowStart: Int32Array, columns: Int32Array, weights: null, columnCount: number): { start: Int32Array; rows: Int32Array; weights: null };
export function transpose(rowStart: Int32Array, columns: Int32Array, weights: Float64Array | null, columnCount: number): { start: Int32Array; rows: Int32Array; weights: Float64Array | null } {
  const rowCount = rowStart.length - 1;
  const entries = rowStart[rowCount];
  const start = new Int32Array(columnCount + 1);
  for (let p = 0; p < entries; p++) start[columns[p] + 1]++;
  for (let t = 0; t < columnCount; t++) start[t + 1] += start[t];
  const fill = start.slice(0, columnCount);
  const rows = new Int32Array(entries);
  const out = weights ? new Float64Array(entries) : null;
  for (let r = 0; r < rowCount; r++) {
    for (let p = rowStart[r]; p < rowStart[r + 1]; p++) {
      const slot = fill[columns[p]]++;
      rows[slot] = r;
      if (out) out[slot] = weights![p];
    }
  }
  return { start, rows, weights: out };
}

let selectScratch = new Float64Array(256);
/**
 * The value a sort of `values` ascending puts at index `k`, by selection (Hoare's partition)
 * on a scratch copy: clustering sorted a copy of every article's weights to find one cut-off.
 */
export function nthSmallest(values: ArrayLike<number>, k: number): number {
  const n = values.length;
  if (selectScratch.length < n) selectScratch = new Float64Array(2 * n);
  const a = selectScratch;
  for (let i = 0; i < n; i++) a[i] = values[i];
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const swap = a[i];
        a[i++] = a[j];
        a[j--] = swap;
      }
    }
    // a[lo..j] ≤ pivot ≤ a[i..hi], and whatever lies between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

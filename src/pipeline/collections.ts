// Small collection helpers the stages share (inverted indexes, groupings, growable and narrow typed arrays, selection).

/** Append `value` to the list under `key`, creating the list on first use. */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type NumberArray = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** What a NarrowBuffer is held in. */
export type CountArray = Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array;

/**
 * What the values seen so far need: one byte, two or four for whole numbers from 0, else
 * Float32 when every value is exact in it, else Float64.
 */
class NumberKind {
  /** All whole and not negative. */
  private whole = true;
  private max = 0;
  /** All exact as Float32. */
  private float32 = true;
  add(value: number): void {
    if (!Number.isInteger(value) || value < 0) this.whole = false;
    else if (value > this.max) this.max = value;
    if (this.float32 && Math.fround(value) !== value) this.float32 = false;
  }
  narrowest(): new (length: number) => CountArray {
    const max = this.max;
    if (this.whole && max <= 0x7fffffff) return max <= 0xff ? Uint8Array : max <= 0xffff ? Uint16Array : Int32Array;
    return this.float32 ? Float32Array : Float64Array;
  }
}

/** Int32Array that grows as values are pushed, for buffers too big to build as number[]. */
export class IntBuffer {
  private values = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) this.values = grown(this.values, 2 * this.length);
    this.values[this.length++] = value;
  }

  toArray(): Int32Array {
    return this.values.slice(0, this.length);
  }
}

/**
 * A list of numbers that grows as values are pushed, held all along in the narrowest array
 * that holds every value it has held exactly (NumberKind; so it changes type only as values
 * arrive, and always losslessly): counts of words nearly always fit a byte, and building
 * millions of them four bytes each first held several times what they end in.
 */
export class NarrowBuffer {
  private values: CountArray = new Uint8Array(1024);
  private readonly kind = new NumberKind();
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) this.values = grown(this.values, 2 * this.length);
    this.set(this.length++, value);
  }

  get(index: number): number {
    return this.values[index];
  }

  /** Sets a value already pushed (or the one push is adding). */
  set(index: number, value: number): void {
    this.kind.add(value);
    const type = this.kind.narrowest();
    if (!(this.values instanceof type)) {
      const wider = new type(this.values.length);
      wider.set(this.values);
      this.values = wider;
    }
    this.values[index] = value;
  }

  toArray(): CountArray {
    return this.values.slice(0, this.length);
  }
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

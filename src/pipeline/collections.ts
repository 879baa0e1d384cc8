// Small collection helpers the stages share (inverted indexes, groupings, growable typed arrays).

/** Append `value` to the list under `key`, creating the list on first use. */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type IntArray = Uint8Array | Uint16Array | Int32Array | Uint32Array;

/** A copy of `array` with room for `capacity` values (its values kept, as many as fit). */
export function grown<T extends IntArray>(array: T, capacity: number): T {
  const copy = new (array.constructor as new (length: number) => T)(capacity);
  copy.set(array.subarray(0, Math.min(array.length, capacity)));
  return copy;
}

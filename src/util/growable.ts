/**
 * Typed-array columns that grow geometrically. Used for per-entry and per-node numbers so a tree of
 * millions of paths costs a few bytes per path instead of a JS object each.
 */
type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array | Int16Array;
type TypedArrayCtor<T extends TypedArray> = { new (length: number): T };

export function grow<T extends TypedArray>(arr: T, minLength: number, Ctor: TypedArrayCtor<T>, fill?: number): T {
  if (arr.length >= minLength) return arr;
  // ×1.5 rather than ×2: at millions of entries the slack (and the copy made while growing) is
  // what sets peak memory.
  let len = Math.max(16, arr.length);
  while (len < minLength) len = Math.ceil(len * 1.5);
  const next = new Ctor(len);
  next.set(arr as never);
  if (fill !== undefined) next.fill(fill, arr.length);
  return next;
}

/**
 * The first `length` elements. A view, not a copy: with growth by 1.5 the slack is at most a third
 * of the buffer, while a copy would briefly need the whole array twice — which is what sets the
 * peak at millions of entries (and leaves the allocator fragmented).
 */
export function trim<T extends TypedArray>(arr: T, length: number): T {
  return arr.length === length ? arr : (arr.subarray(0, length) as T);
}

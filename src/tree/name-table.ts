/**
 * Interned path-component names kept outside the JavaScript heap: the UTF-16 code units of every
 * distinct name in one growing Uint16Array, with an open-addressing hash of name ids. Millions of
 * names as JS strings in a Map cost ~90 bytes each and make every garbage collection trace them;
 * here a name costs its characters plus ~12 bytes, and strings are made only when asked for.
 */
import { grow } from '../util/growable.js';

const EMPTY = -1;

export class NameTable {
  private chars = new Uint16Array(1 << 16);
  private used = 0;
  /** Offset of each name in `chars`; a name ends where the next one starts (`used` for the last). */
  private start = new Int32Array(1024);
  private slots = new Int32Array(2048).fill(EMPTY);
  private mask = 2047;
  /** Number of distinct names. */
  length = 0;

  /** Characters stored, all names together. */
  get characters(): number {
    return this.used;
  }

  constructor() {
    this.intern(''); // id 0: the root's empty name
  }

  /** The same hash over stored characters. */
  private static hashAt(c: Uint16Array, base: number, n: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ c[base + i]!, 0x01000193);
    return h | 0;
  }

  private lengthOf(id: number): number {
    return (id + 1 < this.length ? this.start[id + 1]! : this.used) - this.start[id]!;
  }

  /** FNV-1a over the UTF-16 code units of `s.slice(from, to)`, without making that string. */
  private static hashRange(s: string, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h | 0;
  }

  private static hashBytes(b: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    return h | 0;
  }

  private equalsBytes(id: number, b: Uint8Array, from: number, to: number): boolean {
    if (this.lengthOf(id) !== to - from) return false;
    const delta = this.start[id]! - from;
    const c = this.chars;
    for (let i = from; i < to; i++) if (c[delta + i] !== b[i]) return false;
    return true;
  }

  /**
   * Id of the Latin-1 name in `b[from, to)` (each byte one character), added when new: the same id
   * the string of those characters gets, without making the string.
   */
  internBytes(b: Uint8Array, from: number, to: number): number {
    let slot = NameTable.hashBytes(b, from, to) & this.mask;
    for (; ; slot = (slot + 1) & this.mask) {
      const id = this.slots[slot]!;
      if (id === EMPTY) break;
      if (this.equalsBytes(id, b, from, to)) return id;
    }
    const id = this.add(to - from);
    const c = this.chars;
    const delta = this.start[id]! - from;
    for (let i = from; i < to; i++) c[delta + i] = b[i]!;
    return this.place(slot, id);
  }

  private equals(id: number, s: string, from: number, to: number): boolean {
    if (this.lengthOf(id) !== to - from) return false;
    const delta = this.start[id]! - from;
    const c = this.chars;
    for (let i = from; i < to; i++) if (c[delta + i] !== s.charCodeAt(i)) return false;
    return true;
  }

  /** Id of a name, or -1 when it was never interned. */
  find(s: string): number {
    const h = NameTable.hashRange(s, 0, s.length);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.slots[slot]!;
      if (id === EMPTY) return EMPTY;
      if (this.equals(id, s, 0, s.length)) return id;
    }
  }

  /** Id of a name, added when new. */
  intern(s: string): number {
    return this.internRange(s, 0, s.length);
  }

  /**
   * Id of the name `s.slice(from, to)`, added when new. Path components are interned straight from
   * the path: slicing each one into a string of its own cost more than the lookup.
   */
  internRange(s: string, from: number, to: number): number {
    const h = NameTable.hashRange(s, from, to);
    let slot = h & this.mask;
    for (; ; slot = (slot + 1) & this.mask) {
      const id = this.slots[slot]!;
      if (id === EMPTY) break;
      if (this.equals(id, s, from, to)) return id;
    }
    const id = this.add(to - from);
    const c = this.chars;
    const delta = this.start[id]! - from;
    for (let i = from; i < to; i++) c[delta + i] = s.charCodeAt(i);
    return this.place(slot, id);
  }

  /** A new id with room for `n` characters (filled by the caller). */
  private add(n: number): number {
    const id = this.length++;
    if (id >= this.start.length) this.start = grow(this.start, id + 1, Int32Array);
    if (this.used + n > this.chars.length) this.chars = grow(this.chars, this.used + n, Uint16Array);
    this.start[id] = this.used;
    this.used += n;
    return id;
  }

  private place(slot: number, id: number): number {
    this.slots[slot] = id;
    // Load factor up to 3/4: linear probing stays short and the table half the size of 1/2.
    if (this.length * 4 > this.mask * 3) this.rehash();
    return id;
  }

  /** The name with this id, as a string (made on each call). */
  get(id: number): string {
    const base = this.start[id]!;
    const n = this.lengthOf(id);
    if (n <= 32) {
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(this.chars[base + i]!);
      return s;
    }
    return String.fromCharCode.apply(null, this.chars.subarray(base, base + n) as unknown as number[]);
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap).fill(EMPTY);
    // Hashes are recomputed from the characters: storing them would cost 4 bytes a name.
    for (let id = 0; id < this.length; id++) {
      let slot = NameTable.hashAt(this.chars, this.start[id]!, this.lengthOf(id)) & this.mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[slot] = id;
    }
  }
}

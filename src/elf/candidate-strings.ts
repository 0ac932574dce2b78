/**
 * A bounded side index of strings that look like what the dynamic section refers to, kept while
 * streaming bytes the probe could not afford to retain whole (past its capture cap, before
 * PT_DYNAMIC has told it where DT_STRTAB is).
 *
 * A string table is a run of NUL-terminated strings, so every string the dynamic section names is
 * preceded by a NUL. Library names contain `.so` (`libc.so.6`, `ld-linux-x86-64.so.2`); search
 * paths and path-like DT_NEEDED start with `/` or `$` (`$ORIGIN/../lib`). Only NUL-bounded,
 * printable runs of at most `maxStringBytes` that match one of these are kept, with their exact
 * file offset, so a later lookup by offset is exact whenever the string was kept. A relative
 * RUNPATH such as `lib` or a DT_NEEDED without `.so` is not kept: its lookup fails and the probe
 * reports the result incomplete instead of guessing.
 */
export const CANDIDATE_LIMITS = {
  /** Total bytes of kept strings. */
  maxBytes: 1024 * 1024,
  /** Number of kept strings. */
  maxStrings: 16384,
  /** Longest string kept (PATH_MAX). */
  maxStringBytes: 4096,
} as const;

const SO = Buffer.from('.so', 'latin1');
const NUL_SLASH = Buffer.from([0, 0x2f]);
const NUL_DOLLAR = Buffer.from([0, 0x24]);
const utf8 = new TextDecoder('utf-8');

/** A copy that owns its bytes (`Buffer#slice` would return a view of the caller's buffer). */
function copyOf(b: Uint8Array): Uint8Array {
  const c = new Uint8Array(b.length);
  c.set(b);
  return c;
}

export class CandidateStrings {
  private starts: number[] = [];
  private texts: Uint8Array[] = [];
  private bytes = 0;
  private sorted = true;
  /** Set when a cap was hit and later candidates were dropped. */
  overflow = false;
  /** Bytes of the string still open at the end of the last chunk (null: too long, skip to NUL). */
  private carry: Uint8Array | null = new Uint8Array(0);
  private carryStart = -1;

  /**
   * Before the first `feed`: the bytes just before the scanned region (file offset `start`), so a
   * string that begins there and ends inside the region can still be kept.
   */
  continueFrom(before: Uint8Array, start: number): void {
    const lastNul = before.lastIndexOf(0);
    if (lastNul < 0 || before.length - lastNul - 1 > CANDIDATE_LIMITS.maxStringBytes) return;
    this.carry = copyOf(before.subarray(lastNul + 1));
    this.carryStart = start + lastNul + 1;
  }

  /** Feeds the next contiguous chunk of the scanned region, starting at file offset `start`. */
  feed(chunk: Uint8Array, start: number): void {
    if (chunk.length === 0) return;
    if (this.carryStart < 0) {
      // The first byte fed may sit mid-string: nothing before it is known, so skip to a NUL.
      this.carry = null;
      this.carryStart = start;
    }
    const firstNul = chunk.indexOf(0);
    if (firstNul < 0) {
      this.extendCarry(chunk);
      return;
    }
    // The string that spans from the previous chunk ends at firstNul.
    this.extendCarry(chunk.subarray(0, firstNul));
    if (this.carry) this.consider(this.carryStart, this.carry);
    const lastNul = chunk.lastIndexOf(0);
    this.scanMiddle(chunk, start, firstNul, lastNul);
    this.carry = copyOf(chunk.subarray(lastNul + 1));
    if (this.carry.length > CANDIDATE_LIMITS.maxStringBytes) this.carry = null;
    this.carryStart = start + lastNul + 1;
  }

  /** The string covering file offset `at` (from `at` to its NUL), if one was kept. */
  lookup(at: number): string | null {
    if (!this.sorted) this.sort();
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= at) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0) return null;
    const s = this.starts[hi];
    const t = this.texts[hi];
    return at < s + t.length ? utf8.decode(t.subarray(at - s)) : null;
  }

  get count(): number {
    return this.starts.length;
  }

  /** Bytes of kept strings plus the open carry. */
  get bytesHeld(): number {
    return this.bytes + (this.carry?.length ?? 0);
  }

  private extendCarry(part: Uint8Array): void {
    if (!this.carry) return;
    if (this.carry.length + part.length > CANDIDATE_LIMITS.maxStringBytes) {
      this.carry = null;
      return;
    }
    const c = new Uint8Array(this.carry.length + part.length);
    c.set(this.carry);
    c.set(part, this.carry.length);
    this.carry = c;
  }

  /** Strings wholly inside chunk[firstNul .. lastNul], found by pattern (native indexOf). */
  private scanMiddle(chunk: Uint8Array, start: number, firstNul: number, lastNul: number): void {
    if (lastNul <= firstNul) return;
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, lastNul + 1);
    for (const pattern of [NUL_SLASH, NUL_DOLLAR]) {
      for (let i = buf.indexOf(pattern, firstNul); i >= 0; i = buf.indexOf(pattern, i + 1)) {
        const s = i + 1;
        const e = buf.indexOf(0, s);
        this.consider(start + s, chunk.subarray(s, e));
      }
    }
    let lastEnd = -1;
    for (let i = buf.indexOf(SO, firstNul); i >= 0; i = buf.indexOf(SO, i + 1)) {
      if (i < lastEnd) continue;
      const s = buf.lastIndexOf(0, i) + 1;
      const e = buf.indexOf(0, i);
      lastEnd = e;
      // Strings starting with '/' or '$' were already taken by the first loop.
      if (chunk[s] === 0x2f || chunk[s] === 0x24) continue;
      this.consider(start + s, chunk.subarray(s, e));
    }
  }

  private consider(at: number, text: Uint8Array): void {
    if (this.overflow || text.length === 0 || text.length > CANDIDATE_LIMITS.maxStringBytes) return;
    const first = text[0];
    if (first !== 0x2f && first !== 0x24 && Buffer.from(text.buffer, text.byteOffset, text.length).indexOf(SO) < 0) return;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c < 0x20 || c === 0x7f) return;
    }
    if (this.starts.length >= CANDIDATE_LIMITS.maxStrings || this.bytes + text.length > CANDIDATE_LIMITS.maxBytes) {
      this.overflow = true;
      return;
    }
    if (this.starts.length > 0 && at < this.starts[this.starts.length - 1]) this.sorted = false;
    this.starts.push(at);
    this.texts.push(copyOf(text));
    this.bytes += text.length;
  }

  private sort(): void {
    const order = this.starts.map((_, i) => i).sort((a, b) => this.starts[a] - this.starts[b]);
    this.starts = order.map((i) => this.starts[i]);
    this.texts = order.map((i) => this.texts[i]);
    this.sorted = true;
  }
}

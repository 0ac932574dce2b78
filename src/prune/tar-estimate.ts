/**
 * The size of the squashed layer tar a prune writes, entry by entry, as whittle's writer encodes it
 * (`src/tar/write-header.ts`; tar-stream's `pack` gives the same sizes): a 512-byte ustar header; a
 * PAX extended header in front (512-byte header + records padded to 512) when the name is not
 * ASCII, when the name (a directory's with a trailing `/`) does not fit 100 bytes even after moving
 * leading components into the 155-byte prefix, or when a link name is longer than 100 bytes or not
 * ASCII — the PAX records are then ` path=` (the name as in the header) and, for links,
 * ` linkpath=`; regular-file data padded to 512; and 1024 zero bytes at the end. Names are
 * relative, without `./`; the root has no entry; a hard-linked inode's data is written once, under
 * its first written name, the other names as link entries. Extra PAX records the writer carries
 * over from the input (xattrs) are not counted.
 */

export const BLOCK = 512;
export const END_OF_ARCHIVE = 1024;
const USTAR_NAME = 100;
const USTAR_PREFIX = 155;
const USTAR_LINK = 100;

export function padded(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

/** Bytes of one PAX record ` key=value\n` with its decimal length prefix (tar-stream's addLength). */
export function paxRecordBytes(keyValueBytes: number): number {
  const len = keyValueBytes;
  let digits = Math.floor(Math.log(len) / Math.log(10)) + 1;
  if (len + digits >= Math.pow(10, digits)) digits++;
  return len + digits;
}

/** Bytes of the PAX block (its header and padded records) for a name and link name of these byte lengths (0: no link). */
export function paxBlockBytes(nameBytes: number, linkBytes: number): number {
  let records = paxRecordBytes(7 + nameBytes); // " path=" + name + "\n"
  if (linkBytes > 0) records += paxRecordBytes(11 + linkBytes); // " linkpath=" + link + "\n"
  return BLOCK + padded(records);
}

/**
 * Whether tar-stream can write this name in a plain ustar header. `slashes` are the byte offsets
 * of the `/` separators in `name` (a directory's trailing slash included), ascending.
 */
export function fitsUstar(nameBytes: number, slashes: readonly number[], ascii: boolean, linkBytes: number, linkAscii = true): boolean {
  if (!ascii || !linkAscii) return false;
  if (linkBytes > USTAR_LINK) return false;
  if (nameBytes <= USTAR_NAME) return true;
  for (const p of slashes) {
    if (nameBytes - p - 1 <= USTAR_NAME) return p <= USTAR_PREFIX;
  }
  return false;
}

export interface TarEntryShape {
  /** Relative path, no leading slash, no trailing slash. */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  /** Link target for symlinks and hard links. */
  linkname?: string;
  /** Data bytes written (0 for everything but a regular file carrying its data). */
  size?: number;
}

/** Bytes one entry takes in the written tar: headers (PAX included) and padded data. */
export function tarEntryBytes(e: TarEntryShape): number {
  const name = e.type === 'dir' ? `${e.path}/` : e.path;
  const nameBytes = Buffer.byteLength(name);
  const ascii = nameBytes === name.length;
  const linkBytes = e.linkname ? Buffer.byteLength(e.linkname) : 0;
  const linkAscii = !e.linkname || linkBytes === e.linkname.length;
  const slashes: number[] = [];
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) slashes.push(i);
  let bytes = BLOCK + padded(e.size ?? 0);
  if (!fitsUstar(nameBytes, slashes, ascii, linkBytes, linkAscii)) bytes += paxBlockBytes(nameBytes, linkBytes);
  return bytes;
}

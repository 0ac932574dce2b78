import type { Finding } from '../findings.js';
import type { LayerIndex } from '../tree/layer-index.js';
import type { CaptureHook } from '../tree/layer-builder.js';

/** How the input was packaged, detected from its content. */
export type ImageFormat =
  /** `docker save` up to Docker 24: manifest.json + <id>/layer.tar (also skopeo/podman docker-archive). */
  | 'docker-archive'
  /** `docker save` from Docker 25: an OCI layout plus manifest.json in one tar. */
  | 'docker-archive-oci'
  /** A tar of an OCI image layout (skopeo/buildah oci-archive). */
  | 'oci-archive'
  /** An OCI image layout directory. */
  | 'oci-layout'
  /** A single layer tar, analysed as a one-layer image. */
  | 'layer-tar';

export type Compression = 'none' | 'gzip' | 'zstd';

export interface ImageLayer {
  index: number;
  /** The layer's diff_id (sha256 of the uncompressed tar), from the config or computed. */
  digest: string | null;
  /** Digest of the stored blob when the format names blobs by digest (OCI), else null. */
  blobDigest: string | null;
  mediaType: string | null;
  compression: Compression;
  blobSize: number;
  tarSize: number;
  /** Tar entries (PAX/GNU meta headers excluded). */
  entries: number;
  /** `created_by` of the matching history entry, aligned past `empty_layer` entries. */
  command: string | null;
  created: string | null;
  comment: string | null;
  /** Where the blob was found: archive member or file path. */
  source: string;
  /** Byte range of the stored blob in a regular file, when the input was read by seeking. */
  location: { file: string; offset: number; length: number } | null;
  tree: LayerIndex;
}

export interface ImageConfigSummary {
  os: string | null;
  architecture: string | null;
  variant: string | null;
  created: string | null;
  env: string[];
  entrypoint: string[] | null;
  cmd: string[] | null;
  workingDir: string | null;
  user: string | null;
  labels: Record<string, string>;
}

export interface ReadImageOptions {
  /** `name:tag` (or digest, or config id prefix) to pick from an archive holding several images. */
  image?: string;
  /** `os/arch[/variant]` to pick from a multi-platform index; default: this machine's. */
  platform?: string;
  /**
   * Verify digests by hashing every blob. Default: on, since the bytes stream by anyway; the
   * seeking reader (which skips file contents) needs it explicitly.
   */
  verify?: boolean;
  /** Capture hook factory: called once per layer blob, before any entry is read. */
  capture?: () => CaptureHook | null;
  /** Read progress in bytes of the input (total null when unknown, e.g. stdin). */
  onProgress?: (read: number, total: number | null) => void;
  /** Input stream for `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /**
   * Most bytes any one compressed layer or archive may inflate to (--max-bytes). Default: 256 MiB
   * plus 1100 times its compressed size (see `INFLATE_RATIO` in decompress.ts).
   */
  maxBytes?: number;
}

export interface ResolvedImage {
  input: string;
  format: ImageFormat;
  /** Compression of the whole input (`docker save | gzip`). */
  outerCompression: Compression;
  inputBytes: number;
  tags: string[];
  platform: string | null;
  manifestDigest: string | null;
  configDigest: string | null;
  config: ImageConfigSummary | null;
  /** The parsed image config JSON (kept for writers), or null for a bare layer. */
  rawConfig: Record<string, unknown> | null;
  /** The parsed image manifest JSON when the format has one. */
  rawManifest: Record<string, unknown> | null;
  layers: ImageLayer[];
  /** True when every layer's digests were checked against what the image declares. */
  verified: boolean;
  findings: Finding[];
}

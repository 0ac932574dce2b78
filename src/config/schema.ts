/**
 * The JSON Schema of whittle's config file (`whittle.config.json`, or the `whittle` key of
 * package.json). This object is the source; docs/config.schema.json is a copy for editors and must
 * stay equal to it: test/config/schema.test.ts checks, and rewrites the copy when run with
 * WHITTLE_UPDATE_SCHEMA=1.
 */

const SIZE_PATTERN = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*([kKmMgGtT]([iI][bB]|[bB])?|[bB])?\\s*$';
const PERCENT_PATTERN = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*%\\s*$';
const RATIO_STRING_PATTERN = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*%?\\s*$';

const size = (description: string) => ({ $ref: '#/$defs/size', description });
const ratio = (description: string) => ({ $ref: '#/$defs/ratio', description });

export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/whittle/whittle/docs/config.schema.json',
  title: 'whittle configuration',
  description:
    'whittle.config.json, or the "whittle" key of package.json. Budgets for `whittle check`; flags of the same name override these values. Unknown keys are an error.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Path or URL of this schema, for editors.' },
    budgets: {
      type: 'object',
      additionalProperties: false,
      description: 'Each key is one budget; the budget name in reports is the key (owners, paths and plans: owner:<selector>, path:<glob>, plan:<rule set>).',
      properties: {
        'max-size': size('Σ regular-file bytes of all layers, uncompressed (what `docker images` shows, near enough).'),
        'max-merged-size': size('Regular-file bytes of the merged tree a container sees (each hard-linked inode once).'),
        'max-compressed-size': size('Σ layer blob sizes as stored in the archive (compressed where the blobs are).'),
        'max-layers': { $ref: '#/$defs/count', description: 'Number of layers.' },
        'max-layer-size': size('The largest single layer (Σ its regular-file bytes).'),
        'max-wasted': size('Bytes stored in a layer but overwritten or deleted by a later layer.'),
        'max-wasted-percent': ratio('Wasted bytes as a share of max-size.'),
        'min-efficiency': ratio("dive's efficiency score (dive's lowest-efficiency)."),
        'dive-wasted-bytes': size("dive's wasted bytes (dive's highest-wasted-bytes)."),
        'dive-user-wasted-percent': ratio("dive's wasted bytes over the bytes above the base layer (dive's highest-user-wasted-percent)."),
        'max-growth': {
          $ref: '#/$defs/growth',
          description: 'With --baseline OLD: how much max-size may grow over the baseline, in bytes or as a percent of the baseline. Skipped without --baseline.',
        },
        owners: {
          type: 'object',
          description: 'Owner selector → size: Σ bytes of every owner the selector picks. Selectors are those of rule files (docs/rules.md): `ups:geant4` covers the product, every version and every build; `rpm:*-devel`, `dir:/opt/*`, `ups[unreferenced]:*` work too.',
          propertyNames: { pattern: '^(dpkg|rpm|apk|spack|dir|ups(\\[[^\\]]*\\])?):.+' },
          additionalProperties: { $ref: '#/$defs/size' },
        },
        paths: {
          type: 'object',
          description: 'Path glob → size: merged-tree bytes under the matching paths, e.g. "/products/root/**".',
          propertyNames: { minLength: 1, not: { pattern: '^\\s*!' } },
          additionalProperties: { $ref: '#/$defs/size' },
        },
        plans: {
          type: 'object',
          description: 'Rule set → target: the plan for that rule set (a built-in name like mu2e, a rule file path, or a comma-separated composition like generic,ups) must bring the merged tree to the target or below.',
          propertyNames: { pattern: '^[^\\s,!][^\\s]*$' },
          additionalProperties: { $ref: '#/$defs/size' },
        },
      },
    },
  },
  $defs: {
    size: {
      description: 'Bytes: a whole number, or a string like "1GB", "1.5 GB", "500MiB" (kB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024).',
      anyOf: [
        { type: 'integer', minimum: 0 },
        { type: 'string', pattern: SIZE_PATTERN },
      ],
    },
    ratio: {
      description: 'A fraction between 0 and 1 (0.9), or a percent string ("90%").',
      anyOf: [
        { type: 'number', minimum: 0, maximum: 1 },
        { type: 'string', pattern: RATIO_STRING_PATTERN },
      ],
    },
    count: { type: 'integer', minimum: 0 },
    growth: {
      description: 'A size ("50MB"), or a percent of the baseline ("5%").',
      anyOf: [{ $ref: '#/$defs/size' }, { type: 'string', pattern: PERCENT_PATTERN }],
    },
  },
} as const;

/** The budget keys of the config file, for "did you mean" suggestions. */
export const BUDGET_KEYS = Object.keys(CONFIG_SCHEMA.properties.budgets.properties);
export const TOP_KEYS = Object.keys(CONFIG_SCHEMA.properties);

/**
 * Validates a parsed config object against CONFIG_SCHEMA (ajv) and turns the first problem into one
 * clear message: the file, the key path, what was wrong, and for an unknown key the closest valid
 * one ("unknown key budgets.max-sise; did you mean max-size?").
 */
import type Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { lazyRequire } from '../util/lazy-require.js';
import { closestKey } from './suggest.js';
import { BUDGET_KEYS, CONFIG_SCHEMA } from './schema.js';
import { EXPECT } from './values.js';

const ajv2020 = lazyRequire<typeof Ajv2020>('ajv/dist/2020.js');

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new (ajv2020().default)({ allErrors: true, strict: true, verbose: true });
    compiled = ajv.compile(CONFIG_SCHEMA);
  }
  return compiled;
}

/** Problems with a config object, worst first, each one line; [] when valid. */
export function validateConfig(doc: unknown): string[] {
  const validate = validator();
  if (validate(doc)) return [];
  return explain(validate.errors ?? [], doc);
}

/** `/budgets/max-size` → `budgets.max-size`; owner and path keys are quoted. */
function keyPath(pointer: string): string {
  if (pointer === '') return '(top level)';
  const parts = pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.map((p, i) => (i > 0 && /[^A-Za-z0-9_-]/.test(p) ? `"${p}"` : p)).reduce((s, p, i) => (i === 0 ? p : p.startsWith('"') ? `${s}[${p}]` : `${s}.${p}`), '');
}

const RATIO_KEYS = new Set(['max-wasted-percent', 'min-efficiency', 'dive-user-wasted-percent']);

/** What a value at this place must be, by its key (ajv's schema paths through $refs are ambiguous). */
function expectationFor(pointer: string): string | null {
  const parts = pointer.split('/');
  if (parts[1] !== 'budgets' || (parts.length !== 3 && parts.length !== 4)) return null;
  if (parts.length === 4) return EXPECT.size; // owners / paths / plans entries
  const key = parts[2]!;
  if (key === 'owners' || key === 'paths' || key === 'plans') return 'an object';
  if (key === 'max-growth') return EXPECT.growth;
  if (key === 'max-layers') return EXPECT.count;
  if (RATIO_KEYS.has(key)) return EXPECT.ratio;
  return EXPECT.size;
}

function explain(errors: ErrorObject[], doc: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  // Unknown keys first: they are the likeliest mistake, and other errors may follow from them.
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    const where = e.instancePath === '' ? '' : `${keyPath(e.instancePath)}.`;
    const known = Object.keys((e.parentSchema as { properties?: Record<string, unknown> })?.properties ?? {});
    let hint = '';
    if (e.instancePath === '' && closestKey(extra, BUDGET_KEYS) !== null) {
      hint = `; budgets go under "budgets": { "${closestKey(extra, BUDGET_KEYS)}": … }`;
    } else {
      const best = closestKey(extra, known);
      hint = best ? `; did you mean "${best}"?` : known.length > 0 ? `; valid keys here: ${known.join(', ')}` : '';
    }
    out.push(`unknown key "${where}${extra}"${hint}`);
  }
  for (const e of errors) {
    // The errors inside propertyNames come again as one `propertyNames` error, reported below.
    if (e.keyword === 'additionalProperties' || (e as { propertyName?: string }).propertyName !== undefined) continue;
    const at = e.keyword === 'propertyNames' ? `${e.instancePath}/${(e.params as { propertyName: string }).propertyName}` : e.instancePath;
    if (seen.has(at)) continue;
    // Errors inside an anyOf branch repeat at the same path; report the path once.
    seen.add(at);
    const path = keyPath(at);
    if (e.keyword === 'propertyNames') {
      const name = (e.params as { propertyName: string }).propertyName;
      if (e.instancePath.endsWith('/owners')) {
        out.push(`${keyPath(e.instancePath)}: "${name}" is not an owner selector; selectors start with dpkg:, rpm:, apk:, ups:, spack: or dir: (e.g. "ups:${name}")`);
      } else if (e.instancePath.endsWith('/paths')) {
        out.push(`${keyPath(e.instancePath)}: "${name}" is not a usable path glob (empty, or a negation)`);
      } else {
        out.push(`${keyPath(e.instancePath)}: "${name}" is not a rule set name`);
      }
      continue;
    }
    const value = valueAt(doc, e.instancePath);
    const expected = expectationFor(e.instancePath) ?? (e.keyword === 'type' ? `of type ${(e.params as { type: string }).type}` : (e.message ?? 'valid'));
    out.push(`${path} must be ${expected}, got ${JSON.stringify(value)}`);
  }
  return out;
}

function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let v: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

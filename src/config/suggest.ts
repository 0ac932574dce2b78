/** "Did you mean" for config keys: the closest known key by edit distance, after folding case styles. */
import { editDistance } from '../budget/edit-distance.js';

/** Keys people bring from other tools or spell another way, and what whittle calls them. */
const ALIASES: Record<string, string> = {
  'lowest-efficiency': 'min-efficiency',
  'lowest-efficiency-threshold': 'min-efficiency',
  efficiency: 'min-efficiency',
  'highest-wasted-bytes': 'dive-wasted-bytes',
  'highest-user-wasted-percent': 'dive-user-wasted-percent',
  size: 'max-size',
  'max-image-size': 'max-size',
  'max-total-size': 'max-size',
  layers: 'max-layers',
  'max-layer-count': 'max-layers',
  wasted: 'max-wasted',
  'max-wasted-bytes': 'max-wasted',
  baseline: 'max-growth',
  owner: 'owners',
  path: 'paths',
  plan: 'plans',
  budget: 'budgets',
};

/** kebab-case of camelCase / snake_case / spaced keys: `maxLayerSize` → `max-layer-size`. */
export function kebab(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
}

export function closestKey(key: string, known: readonly string[]): string | null {
  const k = kebab(key.trim());
  if (known.includes(k)) return k;
  const alias = ALIASES[k];
  if (alias && known.includes(alias)) return alias;
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of known) {
    const d = editDistance(k, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(k.length / 3)) ? best : null;
}

/** Owner ids and interned, frozen `UpsOwner` objects (see `types.ts` for the id contract). */
import type { UpsOwner } from './types.js';

export function buildOwnerId(product: string, version: string, flavor: string, qualifiers: string): string {
  return qualifiers === '' ? `ups:${product}/${version}/${flavor}` : `ups:${product}/${version}/${flavor}/${qualifiers}`;
}

export function versionOwnerId(product: string, version: string): string {
  return `ups:${product}/${version}`;
}

export function productOwnerId(product: string): string {
  return `ups:${product}`;
}

export function databaseOwnerId(root: string): string {
  return `ups:/${root}`;
}

/** Hands out one frozen owner object per (id, declared), so owners compare by identity too. */
export class OwnerTable {
  private readonly byKey = new Map<string, UpsOwner>();

  private intern(o: UpsOwner): UpsOwner {
    const key = o.declared ? o.id : `${o.id}\u0000undeclared`;
    const hit = this.byKey.get(key);
    if (hit) return hit;
    const frozen = Object.freeze(o);
    this.byKey.set(key, frozen);
    return frozen;
  }

  build(product: string, version: string, flavor: string, qualifiers: string, declared = true): UpsOwner {
    return this.intern({ id: buildOwnerId(product, version, flavor, qualifiers), product, version, flavor, qualifiers, level: 'build', declared });
  }

  version(product: string, version: string, declared = true): UpsOwner {
    return this.intern({ id: versionOwnerId(product, version), product, version, flavor: null, qualifiers: null, level: 'version', declared });
  }

  product(product: string): UpsOwner {
    return this.intern({ id: productOwnerId(product), product, version: null, flavor: null, qualifiers: null, level: 'product', declared: true });
  }

  database(root: string): UpsOwner {
    return this.intern({ id: databaseOwnerId(root), product: '', version: null, flavor: null, qualifiers: null, level: 'database', declared: true });
  }
}

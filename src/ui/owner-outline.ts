/**
 * The Owners pane's tree: OS packages; UPS products → versions → builds (with a version's shared
 * files and a product's metadata as leaves); Spack packages; unowned directory groups. Each node
 * sums the bytes, files and wasted bytes of the owners under it. Built once per analysis.
 */
import type { Owner } from '../owners/types.js';
import { ownerLabel } from './file-rows.js';
import type { OwnerChoice } from './highlight.js';
import type { OutlineSource } from './outline.js';
import type { FilterInput } from './tree-filter.js';

export interface OwnerNode {
  label: string;
  /** Detail text shown after the label (a package version, "undeclared"). */
  detail: string;
  /** Owner index for a leaf, else -1. */
  owner: number;
  /** Owner indices at and under this node. */
  owners: number[];
  bytes: number;
  files: number;
  wasted: number;
  parent: number;
  depth: number;
  children: number[];
  /** What choosing it highlights: an owner id or a group id (`ups:root`, `ups:root/v6_12_06a`). */
  choiceLabel: string;
}

export class OwnerOutline implements OutlineSource {
  readonly root = 0;
  readonly nodes: OwnerNode[] = [];
  private readonly parents: Int32Array;

  constructor(readonly owners: readonly Owner[]) {
    const add = (parent: number, label: string, choiceLabel: string, owner = -1, detail = ''): number => {
      const id = this.nodes.length;
      this.nodes.push({ label, detail, owner, owners: [], bytes: 0, files: 0, wasted: 0, parent, depth: parent < 0 ? 0 : this.nodes[parent]!.depth + 1, children: [], choiceLabel });
      if (parent >= 0) this.nodes[parent]!.children.push(id);
      return id;
    };
    add(-1, '', 'all owners');
    const groups = new Map<string, number>();
    const group = (key: string, label: string): number => {
      let g = groups.get(key);
      if (g === undefined) {
        g = add(0, label, label);
        groups.set(key, g);
      }
      return g;
    };
    const keyed = new Map<string, number>();
    const under = (key: string, parent: number, label: string, choiceLabel: string, detail = ''): number => {
      let n = keyed.get(key);
      if (n === undefined) {
        n = add(parent, label, choiceLabel, -1, detail);
        keyed.set(key, n);
      }
      return n;
    };
    // Fixed group order; groups appear only when they have owners.
    const order = ['os', 'ups', 'spack', 'dir'];
    const sorted = owners.map((o, i) => ({ o, i })).sort((a, b) => order.indexOf(groupKey(a.o)) - order.indexOf(groupKey(b.o)));
    for (const { o, i } of sorted) {
      const gk = groupKey(o);
      if (gk === 'os') add(group('os', 'OS packages'), o.id, o.id, i, o.version ?? '');
      else if (gk === 'spack') add(group('spack', 'Spack packages'), o.name, o.id, i, o.version ?? '');
      else if (gk === 'dir') add(group('dir', 'unowned directories'), o.name, o.id, i);
      else {
        const ups = group('ups', 'UPS products');
        if (o.level === 'database' || !o.product) {
          add(under('ups-db', ups, '(UPS databases)', 'UPS databases'), o.id.replace(/^ups:/, ''), o.id, i);
          continue;
        }
        const prod = under(`p:${o.product}`, ups, o.product, `ups:${o.product}`);
        if (o.level === 'product') {
          add(prod, '(product files)', o.id, i, 'chains, product dir');
          continue;
        }
        const ver = under(`v:${o.product}/${o.version}`, prod, o.version ?? '?', `ups:${o.product}/${o.version}`);
        if (o.level === 'version') add(ver, '(shared files)', o.id, i, 'include, source, ups');
        else add(ver, [o.flavor, o.qualifiers].filter((x) => x).join(' ') || '(no flavor)', o.id, i, o.declared === false ? 'undeclared' : '');
      }
    }
    // Sums, children before parents (ids grow downwards).
    for (let id = this.nodes.length - 1; id >= 0; id--) {
      const n = this.nodes[id]!;
      if (n.owner >= 0) {
        const o = owners[n.owner]!;
        n.owners.push(n.owner);
        n.bytes += o.bytes;
        n.files += o.files;
        n.wasted += o.wastedBytes;
      }
      if (n.parent >= 0) {
        const p = this.nodes[n.parent]!;
        p.bytes += n.bytes;
        p.files += n.files;
        p.wasted += n.wasted;
        for (const x of n.owners) p.owners.push(x);
      }
    }
    this.parents = Int32Array.from(this.nodes, (n) => n.parent);
  }

  get groups(): number[] {
    return this.nodes[0]!.children;
  }

  children(node: number): Iterable<number> {
    return this.nodes[node]!.children;
  }
  expandable(node: number): boolean {
    return this.nodes[node]!.children.length > 0;
  }
  name(node: number): string {
    return this.nodes[node]!.label;
  }
  size(node: number): number {
    return this.nodes[node]!.bytes;
  }
  depth(node: number): number {
    return this.nodes[node]!.depth;
  }
  parent(node: number): number {
    return this.nodes[node]!.parent;
  }

  choice(node: number): OwnerChoice {
    const n = this.nodes[node]!;
    const short = n.owner >= 0 ? ownerLabel(this.owners[n.owner]!) : n.choiceLabel;
    return { owners: n.owners, label: n.choiceLabel, short, bytes: n.bytes, files: n.files };
  }

  filterInput(): FilterInput {
    const names = this.nodes.map((n) => `${n.label} ${n.detail}`.trim());
    return {
      count: this.nodes.length,
      parent: this.parents,
      nameId: Int32Array.from(this.nodes, (_, i) => i),
      names: { length: names.length, get: (id: number) => names[id]! },
      present: () => true,
      size: (n) => this.nodes[n]!.bytes,
    };
  }
}

function groupKey(o: Owner): string {
  if (o.kind === 'dpkg' || o.kind === 'rpm' || o.kind === 'apk') return 'os';
  return o.kind;
}

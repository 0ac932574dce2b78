import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../fixtures/images/paths.js';
import { charKeyName, KEYMAP } from '../../src/ui/keymap.js';

describe('key map', () => {
  it('is documented in docs/inspect.md, every key and action of the help screen', () => {
    const doc = fs.readFileSync(path.join(repoRoot(), 'docs', 'inspect.md'), 'utf8');
    const table = doc.slice(doc.indexOf('## Key map'));
    for (const section of KEYMAP.filter((s) => s.title !== 'Marks in Files')) {
      for (const [keys, action] of section.keys) {
        const row = table.split('\n').find((l) => l.includes(`| ${action} |`));
        expect(row, `${section.title}: ${action}`).toBeDefined();
        for (const k of keys.split(/\s+/)) expect(row, `${section.title}: ${keys}`).toContain(`\`${k}\``);
      }
    }
  });

  it('names control characters as the keys they stand for', () => {
    expect(['\r', '\t', '\u007f', '\u001b', '\u0003', '\u0015', 'q', '/'].map(charKeyName)).toEqual(['enter', 'tab', 'backspace', 'escape', 'ctrl-c', 'ctrl-u', 'q', '/']);
  });
});

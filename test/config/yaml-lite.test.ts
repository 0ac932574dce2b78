import { describe, expect, it } from 'vitest';
import { parseYamlLite, type YamlMapping } from '../../src/config/yaml-lite.js';

function plain(m: YamlMapping): unknown {
  return Object.fromEntries([...m].map(([k, n]) => [k, n.value instanceof Map ? plain(n.value) : n.value]));
}

describe('parseYamlLite', () => {
  it("reads dive's README .dive-ci example with comments", () => {
    const text = [
      'rules:',
      '  # If the efficiency is measured below X%, mark as failed.',
      '  # Expressed as a ratio between 0-1.',
      '  lowest-efficiency: 0.95',
      '',
      '  # If the amount of wasted space is at least X or larger than X, mark as failed.',
      '  # Expressed in B, KB, MB, and GB.',
      '  highest-wasted-bytes: 20MB',
      '',
      '  # If the amount of wasted space makes up for X% or more of the image, mark as failed.',
      '  # Note: the base image layer is NOT included in the total image size.',
      '  # Expressed as a ratio between 0-1; fails if the threshold is met or crossed.',
      '  highest-user-wasted-percent: 0.20',
    ].join('\n');
    const r = parseYamlLite(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(plain(r.doc)).toEqual({ rules: { 'lowest-efficiency': '0.95', 'highest-wasted-bytes': '20MB', 'highest-user-wasted-percent': '0.20' } });
    expect(r.doc.get('rules')!.line).toBe(1);
    expect((r.doc.get('rules')!.value as YamlMapping).get('highest-wasted-bytes')!.line).toBe(8);
  });

  it('handles quotes, trailing comments, document markers and CRLF', () => {
    const r = parseYamlLite("---\r\nrules:\r\n    highestWastedBytes: \"20 MB\" # quoted\r\n    lowestEfficiency: '0.9'\r\n    'highest-user-wasted-percent': disabled\r\n");
    expect(r.ok && plain(r.doc)).toEqual({ rules: { highestWastedBytes: '20 MB', lowestEfficiency: '0.9', 'highest-user-wasted-percent': 'disabled' } });
  });

  it('keeps a # inside a value that does not follow a space', () => {
    const r = parseYamlLite('a: b#c\n');
    expect(r.ok && plain(r.doc)).toEqual({ a: 'b#c' });
  });

  it('reports what it does not support, with the line', () => {
    expect(parseYamlLite('rules:\n\tlowest-efficiency: 0.9\n')).toEqual({ ok: false, line: 2, message: 'tabs are not allowed for indentation in YAML' });
    expect(parseYamlLite('rules:\n  - 0.9\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseYamlLite('rules: {a: 1}\n')).toMatchObject({ ok: false, line: 1 });
    expect(parseYamlLite('rules:\n  a: 1\n a: 2\n')).toMatchObject({ ok: false, line: 3, message: 'bad indentation' });
    expect(parseYamlLite('a: 1\na: 2\n')).toMatchObject({ ok: false, line: 2, message: 'duplicate key "a"' });
    expect(parseYamlLite('just text\n')).toMatchObject({ ok: false, line: 1 });
  });
});

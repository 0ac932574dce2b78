import { describe, expect, test } from 'vitest';
import { canonicalQualifiers, optionalQualifiers, qualifierList, qualifierSet } from '../../../src/owners/ups/qualifiers.js';

describe('canonicalQualifiers', () => {
  test('is order-free: compiler first, build type last', () => {
    expect(canonicalQualifiers('prof:e17')).toBe('e17:prof');
    expect(canonicalQualifiers('e17:prof')).toBe('e17:prof');
    expect(canonicalQualifiers('debug:e20')).toBe('e20:debug');
  });

  test('puts software sets after the compiler and other qualifiers alphabetically before the build type', () => {
    expect(canonicalQualifiers('s67:offline:e17:prof')).toBe('e17:s67:offline:prof');
    expect(canonicalQualifiers('e28:s128:trig:prof')).toBe('e28:s128:trig:prof');
    expect(canonicalQualifiers('prof:p3915:e28')).toBe('e28:p3915:prof');
    expect(canonicalQualifiers('nu:s59:e10:prof')).toBe('e10:s59:nu:prof');
    expect(canonicalQualifiers('prof:mt:e28')).toBe('e28:mt:prof');
    expect(canonicalQualifiers('c7:p392:debug')).toBe('c7:p392:debug');
    expect(canonicalQualifiers('py2:grid:e17')).toBe('e17:grid:py2');
  });

  test('strips + and drops empty members and duplicates', () => {
    expect(canonicalQualifiers('+e17:+prof')).toBe('e17:prof');
    expect(canonicalQualifiers('+e19:+prof:')).toBe('e19:prof');
    expect(canonicalQualifiers('e17:e17:prof')).toBe('e17:prof');
    expect(canonicalQualifiers('')).toBe('');
    expect(canonicalQualifiers(null)).toBe('');
    expect(canonicalQualifiers(['prof', 'e15'])).toBe('e15:prof');
  });

  test('treats gccNN as a compiler qualifier (coups parsing.py)', () => {
    expect(canonicalQualifiers('prof:gcc9')).toBe('gcc9:prof');
    // "cetbuildtools"-like words starting with c or e are not compilers
    expect(canonicalQualifiers('prof:cxx:e20')).toBe('e20:cxx:prof');
  });

  test('keeps ?optional qualifiers apart', () => {
    expect(canonicalQualifiers('+e17:?prof')).toBe('e17');
    expect(optionalQualifiers('+e17:?prof')).toEqual(['prof']);
    expect(qualifierList('+e17:?prof', true)).toEqual(['e17', 'prof']);
  });

  test('sets compare equal whatever the order', () => {
    expect(qualifierSet('prof:e17')).toEqual(qualifierSet('e17:+prof'));
  });
});

import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';
import { validateConfig } from '../../src/config/validate.js';
import { REPO } from '../budget/ci-images.js';

const DOC = path.join(REPO, 'docs/config.schema.json');

describe('config schema', () => {
  it('docs/config.schema.json is the schema the code validates with', () => {
    const text = `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`;
    if (process.env.WHITTLE_UPDATE_SCHEMA === '1') fs.writeFileSync(DOC, text);
    expect(fs.readFileSync(DOC, 'utf8'), 'run with WHITTLE_UPDATE_SCHEMA=1 to rewrite docs/config.schema.json').toBe(text);
  });

  it('compiles under ajv strict mode and accepts the documented example', () => {
    const ajv = new Ajv2020.default({ strict: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(DOC, 'utf8')));
    const example = {
      $schema: './node_modules/whittle/docs/config.schema.json',
      budgets: {
        'max-size': '1.2GB',
        'max-merged-size': 1_000_000_000,
        'max-compressed-size': '450 MiB',
        'max-layers': 20,
        'max-layer-size': '500MB',
        'max-wasted': '20MB',
        'max-wasted-percent': '5%',
        'min-efficiency': 0.95,
        'dive-wasted-bytes': '20MB',
        'dive-user-wasted-percent': 0.1,
        'max-growth': '50MB',
        owners: { 'ups:geant4': '500MB', 'rpm:*-devel': 0 },
        paths: { '/products/root/**': '400MB' },
        plans: { mu2e: '3GB' },
      },
    };
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validateConfig(example)).toEqual([]);
  });
});

describe('validateConfig messages', () => {
  it('names an unknown budget key and suggests the closest valid one', () => {
    expect(validateConfig({ budgets: { 'max-sise': '1GB' } })).toEqual(['unknown key "budgets.max-sise"; did you mean "max-size"?']);
    expect(validateConfig({ budgets: { maxLayerSize: '1GB' } })[0]).toBe('unknown key "budgets.maxLayerSize"; did you mean "max-layer-size"?');
    expect(validateConfig({ budgets: { max_layers: 3 } })[0]).toBe('unknown key "budgets.max_layers"; did you mean "max-layers"?');
  });

  it('maps dive key names to the whittle budget of the same measure', () => {
    expect(validateConfig({ budgets: { 'lowest-efficiency': 0.9 } })[0]).toBe('unknown key "budgets.lowest-efficiency"; did you mean "min-efficiency"?');
    expect(validateConfig({ budgets: { 'highest-user-wasted-percent': 0.1 } })[0]).toContain('did you mean "dive-user-wasted-percent"?');
  });

  it('says where budgets go when they are written at the top level', () => {
    expect(validateConfig({ 'max-size': '1GB' })[0]).toBe('unknown key "max-size"; budgets go under "budgets": { "max-size": … }');
    expect(validateConfig({ budget: {} })[0]).toBe('unknown key "budget"; did you mean "budgets"?');
  });

  it('lists the valid keys when nothing is close', () => {
    expect(validateConfig({ budgets: { zzzzzzzzzzzz: 1 } })[0]).toMatch(/^unknown key "budgets.zzzzzzzzzzzz"; valid keys here: max-size, max-merged-size, .*plans$/);
  });

  it('explains bad values with what was expected and what was found', () => {
    expect(validateConfig({ budgets: { 'max-size': '1 gigabyte' } })).toEqual(['budgets.max-size must be a size like "1GB", "500MiB" or a whole number of bytes, got "1 gigabyte"']);
    expect(validateConfig({ budgets: { 'min-efficiency': 95 } })[0]).toBe('budgets.min-efficiency must be a fraction between 0 and 1 like 0.9, or a percent like "90%", got 95');
    expect(validateConfig({ budgets: { 'max-layers': 2.5 } })[0]).toBe('budgets.max-layers must be a whole number ≥ 0, got 2.5');
    expect(validateConfig({ budgets: { 'max-growth': 'a lot' } })[0]).toContain('budgets.max-growth must be a size like "50MB", or a percent of the baseline like "5%"');
    expect(validateConfig({ budgets: { paths: { '/opt/**': '1 GB!' } } })[0]).toBe('budgets.paths["/opt/**"] must be a size like "1GB", "500MiB" or a whole number of bytes, got "1 GB!"');
    expect(validateConfig({ budgets: [] })[0]).toBe('budgets must be of type object, got []');
  });

  it('rejects owner selectors without an ecosystem prefix', () => {
    expect(validateConfig({ budgets: { owners: { geant4: '1GB' } } })[0]).toBe(
      'budgets.owners: "geant4" is not an owner selector; selectors start with dpkg:, rpm:, apk:, ups:, spack: or dir: (e.g. "ups:geant4")',
    );
  });
});

/** Budget configuration: config files (whittle.config.json, package.json, .dive-ci) and flags → budget specs. */
export { loadConfig, fromText, DISCOVERY, type LoadedConfig, type LoadOptions, type ConfigKind } from './load.js';
export { flagsToSpecs, mergeSpecs, type BudgetFlags } from './flags.js';
export { validateConfig } from './validate.js';
export { CONFIG_SCHEMA } from './schema.js';
export { parseDiveCi, DIVE_RULES } from './dive-ci.js';
export { configToSpecs, type WhittleConfig } from './whittle-config.js';

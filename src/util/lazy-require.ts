/**
 * CommonJS dependencies loaded on first use. ajv and micromatch take ~45 ms to load together,
 * a third of whittle's start-up, and `analyze`, `owners` and `ls` never use them; a lazy
 * `require` keeps the callers synchronous (a dynamic `import()` would make them async).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

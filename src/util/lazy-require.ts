/**
 * CommonJS dependencies loaded on first use. `analyze`, `owners` and `ls` never use ajv or
 * micromatch, and loading them lazily took importing the CLI from 121 to 85 ms; a
 * lazy `require` keeps the callers synchronous (a dynamic `import()` would make them async).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

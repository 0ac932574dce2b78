/** Runs once before all test files: nothing to prepare yet beyond what `npm test` builds. */
export default function setup(): void {}

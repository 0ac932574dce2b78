/** Image comparison: snapshots of two analyses, then their differences (pure). */
export { snapshotOf, packFiles, directorySizes, comparePaths, DEFAULT_DIFF_DEPTH } from './snapshot.js';
export { diffSnapshots as compareImages, diffSnapshots, DEFAULT_DIFF_TOP } from './compare.js';
export type * from './types.js';

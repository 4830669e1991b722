export { DEFAULT_FILES, ALWAYS_IGNORED, planScan, patternEscapes, resolveRoot, isInside, ScanRootError } from './scan';
export type { ScanOptions, ScanEntry, ScanPlan } from './scan';

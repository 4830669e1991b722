export { DEFAULT_FILES, ALWAYS_IGNORED, planScan, resolveRoot, isInside, ScanRootError } from './scan';
export type { ScanOptions, ScanEntry, ScanPlan } from './scan';

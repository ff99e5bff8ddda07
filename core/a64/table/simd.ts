/** Decode table: see index.ts. */
import type { Encoding } from '../decoder.js';

export const TABLE: Encoding[] = [];

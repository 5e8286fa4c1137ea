/**
 * What other features may use of the discrepancy register: its code lists, units and the shape of
 * an observation (pure domain values, no service yet). Consultations' data validation rounds build
 * their tables from them.
 */
export { AGE_GROUPS, CAUSES, LOCATIONS, SEXES, type Cause, type Lang } from './domain/codes.js';
export { TOTAL, observationKey, type Observation } from './domain/observations.js';
export { UNITS, parseUnit, unitLabel } from './domain/units.js';

/** Its live events and their payloads (declared into LiveEventMap, server/plugins/live/events.ts). */
export type * from './events.js';

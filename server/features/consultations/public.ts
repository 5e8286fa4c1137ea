/**
 * What other features may use of consultations: nothing yet. The feature offers its home section
 * ("waiting for my country") and live topics by registering them; a public service comes when
 * another feature needs one (the discrepancy register, for a validation round's outcomes).
 */
export type ConsultationTopicKind = 'consultation' | 'consultation-draft';

/** Its live events and their payloads (declared into LiveEventMap, server/plugins/live/events.ts). */
export type * from './events.js';

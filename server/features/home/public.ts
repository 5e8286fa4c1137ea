/**
 * What other features may use of the home feature: `fastify.home`, where each registers the
 * sections of the home page it owns (registry.ts), and the types of a section. Type-only.
 */
export type { HomeContext, HomeItem, HomeRegistry, HomeSection, HomeSectionResult } from './registry.js';

/** Its live events and their payloads (declared into LiveEventMap, server/plugins/live/events.ts). */
export type * from './events.js';

/**
 * The live channel as the debate pages use it: the shell's one LiveConnection (through
 * liveContext) and the LiveSubscriptionController, both from the live library.
 */
export type { LiveTopicMessage as LiveMessage, LiveStatus } from '../../app/live-connection.js';
export { LiveStatusEvent } from '../../app/live-connection.js';
export { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';

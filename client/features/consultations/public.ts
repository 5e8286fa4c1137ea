/** What other client features may use of consultations: its API module (the home page's "waiting for my country" may read it). */
export { consultationsApi } from './consultations-api.js';
export type { ConsultationSummary } from './models.js';

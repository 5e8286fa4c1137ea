/**
 * What other client features may use of the discrepancy register: its API module (the indicator
 * hub and the home page will list cases through it).
 */
export { discrepanciesApi, type CaseSummary, type Matrix } from './discrepancies-api.js';

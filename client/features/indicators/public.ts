/**
 * What other client features may use of the indicator catalogue: the path of an indicator's hub,
 * for the chips of tagged debates and documents.
 */
export { hubPath, hubPathOfRef } from './indicators-api.js';

/**
 * What other client features may use of the proposals: the thread page's proposal block,
 * <cn-thread-proposals thread-id=…>, defined on import.
 */
import { CnThreadProposals } from './thread-proposals.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

export { positionLabel } from './thread-proposals.js';

const ELEMENTS = { 'cn-thread-proposals': CnThreadProposals };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}

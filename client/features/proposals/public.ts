/**
 * What other client features may use of the proposals: the thread page's proposal block,
 * <cn-thread-proposals thread-id=…>, defined on import.
 */
import { CnThreadProposals } from './thread-proposals.js';

export { positionLabel } from './thread-proposals.js';

if (!customElements.get('cn-thread-proposals')) customElements.define('cn-thread-proposals', CnThreadProposals);

declare global {
  interface HTMLElementTagNameMap {
    'cn-thread-proposals': CnThreadProposals;
  }
}

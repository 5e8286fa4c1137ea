import { CnRoundComparePage } from './compare-page.js';
import { CnRoundMatrixPage } from './matrix-page.js';
import { CnNewRoundPage } from './new-round-page.js';
import { CnRoundComment } from './round-comment.js';
import { CnRoundPage } from './round-page.js';
import { CnRoundsPage } from './rounds-page.js';

customElements.define('cn-rounds-page', CnRoundsPage);
customElements.define('cn-new-round-page', CnNewRoundPage);
customElements.define('cn-round-page', CnRoundPage);
customElements.define('cn-round-comment', CnRoundComment);
customElements.define('cn-round-matrix-page', CnRoundMatrixPage);
customElements.define('cn-round-compare-page', CnRoundComparePage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-rounds-page': CnRoundsPage;
    'cn-new-round-page': CnNewRoundPage;
    'cn-round-page': CnRoundPage;
    'cn-round-comment': CnRoundComment;
    'cn-round-matrix-page': CnRoundMatrixPage;
    'cn-round-compare-page': CnRoundComparePage;
  }
}

import { CnRoundComparePage } from './compare-page.js';
import { CnRoundMatrixPage } from './matrix-page.js';
import { CnNewRoundPage } from './new-round-page.js';
import { CnRoundComment } from './round-comment.js';
import { CnRoundPage } from './round-page.js';
import { CnRoundsPage } from './rounds-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-rounds-page': CnRoundsPage,
  'cn-new-round-page': CnNewRoundPage,
  'cn-round-page': CnRoundPage,
  'cn-round-comment': CnRoundComment,
  'cn-round-matrix-page': CnRoundMatrixPage,
  'cn-round-compare-page': CnRoundComparePage,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}

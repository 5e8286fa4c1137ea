import { CnCaseChart } from './case-chart.js';
import { CnDiscrepancyCasePage } from './case-page.js';
import { CnDiscrepancyCasesPage } from './cases-page.js';
import { CnDiscrepancyImportPage } from './import-page.js';
import { CnDiscrepancyMatrixPage } from './matrix-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-discrepancy-matrix-page': CnDiscrepancyMatrixPage,
  'cn-discrepancy-cases-page': CnDiscrepancyCasesPage,
  'cn-discrepancy-case-page': CnDiscrepancyCasePage,
  'cn-discrepancy-import-page': CnDiscrepancyImportPage,
  'cn-case-chart': CnCaseChart,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}

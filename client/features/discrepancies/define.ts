import { CnCaseChart } from './case-chart.js';
import { CnDiscrepancyCasePage } from './case-page.js';
import { CnDiscrepancyCasesPage } from './cases-page.js';
import { CnDiscrepancyImportPage } from './import-page.js';
import { CnDiscrepancyMatrixPage } from './matrix-page.js';

customElements.define('cn-discrepancy-matrix-page', CnDiscrepancyMatrixPage);
customElements.define('cn-discrepancy-cases-page', CnDiscrepancyCasesPage);
customElements.define('cn-discrepancy-case-page', CnDiscrepancyCasePage);
customElements.define('cn-discrepancy-import-page', CnDiscrepancyImportPage);
customElements.define('cn-case-chart', CnCaseChart);

declare global {
  interface HTMLElementTagNameMap {
    'cn-discrepancy-matrix-page': CnDiscrepancyMatrixPage;
    'cn-discrepancy-cases-page': CnDiscrepancyCasesPage;
    'cn-discrepancy-case-page': CnDiscrepancyCasePage;
    'cn-discrepancy-import-page': CnDiscrepancyImportPage;
    'cn-case-chart': CnCaseChart;
  }
}

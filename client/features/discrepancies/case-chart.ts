import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type uPlotType from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import type { CaseSeries } from './discrepancies-api.js';
import { formatValue } from './format.js';
import { natureLabel } from './labels.js';

type SeriesPoint = CaseSeries['national'][number];

const NATIONAL_COLOUR = '#0b5cad';
const INTERNATIONAL_COLOUR = '#b3261e';

/**
 * The national and the international series of a case over the years, drawn with uPlot (loaded
 * with the first chart, so no other page pays for it). A line breaks where a year is missing or
 * the series breaks (OBS_STATUS B, a new national source); each international point's nature is
 * written beside its value in the table under the chart, which also serves screen readers.
 */
export class CnCaseChart extends LitElement {
  static override properties = { series: { attribute: false } };
  static override styles = [
    unsafeCSS(uplotCss),
    css`
      :host {
        display: block;
      }
      .plot {
        min-block-size: 240px;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-3, 0.75rem);
        font-size: 0.875rem;
        margin-block: 0.5rem;
      }
      .swatch {
        display: inline-block;
        inline-size: 1.5rem;
        block-size: 0.25rem;
        vertical-align: middle;
        margin-inline-end: 0.35rem;
      }
      .swatch.national {
        background: ${unsafeCSS(NATIONAL_COLOUR)};
      }
      .swatch.international {
        background: repeating-linear-gradient(90deg, ${unsafeCSS(INTERNATIONAL_COLOUR)} 0 6px, transparent 6px 10px);
      }
      .visually-hidden {
        position: absolute;
        inline-size: 1px;
        block-size: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      table {
        border-collapse: collapse;
        font-size: 0.875rem;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        border-block-end: 1px solid var(--cn-color-border, #ddd);
        padding: 0.2rem 0.6rem;
        text-align: end;
      }
      th:first-child,
      td:first-child {
        text-align: start;
      }
      .case-year {
        font-weight: 700;
      }
      .break {
        font-size: 0.75rem;
        color: var(--cn-color-muted, #555);
      }
    `,
  ];

  declare series: CaseSeries | null;
  private plot: uPlotType | null = null;
  private resize: ResizeObserver | null = null;
  private loading: Promise<void> | null = null;

  constructor() {
    super();
    this.series = null;
    updateWhenLocaleChanges(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.resize = null;
    this.plot?.destroy();
    this.plot = null;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('series')) this.loading = this.draw();
  }

  /** Resolves once the chart is drawn (tests and screenshots wait for it). */
  get drawn(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  private async draw(): Promise<void> {
    const series = this.series;
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!series || !target || !series.years) return;
    const { default: uPlot } = await import('uplot');
    const years: number[] = [];
    for (let year = series.years.from; year <= series.years.to; year++) years.push(year);
    const column = (points: SeriesPoint[]) => {
      const byYear = new Map(points.map((p) => [p.year, p]));
      // A null ends the line: a missing year, or a point the series breaks before (drawn as a point only).
      return years.map((year) => byYear.get(year)?.value ?? null);
    };
    const data: uPlotType.AlignedData = [years, column(series.national), column(series.international)];
    const width = Math.max(280, target.clientWidth || this.clientWidth || 600);
    const options: uPlotType.Options = {
      width,
      height: 260,
      scales: { x: { time: false } },
      axes: [{ values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) }, { values: (_u, ticks) => ticks.map((t) => formatValue(t)) }],
      series: [
        { label: msg('Year') },
        { label: msg('National'), stroke: NATIONAL_COLOUR, width: 2, spanGaps: false, points: { show: true, size: 6, fill: NATIONAL_COLOUR } },
        { label: msg('International'), stroke: INTERNATIONAL_COLOUR, width: 2, dash: [6, 4], spanGaps: false, points: { show: true, size: 7, fill: '#fff' } },
      ],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
    };
    this.plot?.destroy();
    target.replaceChildren();
    this.plot = new uPlot(options, data, target);
    target.dataset['drawn'] = 'true';
    if (!this.resize) {
      this.resize = new ResizeObserver(() => {
        const next = Math.max(280, target.clientWidth);
        if (this.plot && Math.abs(this.plot.width - next) > 4) this.plot.setSize({ width: next, height: 260 });
      });
      this.resize.observe(target);
    }
  }

  protected override render() {
    const series = this.series;
    if (!series) return nothing;
    const years = new Set([...series.national, ...series.international].map((p) => p.year));
    const sorted = [...years].sort((a, b) => a - b);
    const at = (points: SeriesPoint[], year: number) => points.find((p) => p.year === year);
    const breakText = (p: SeriesPoint | undefined) =>
      p?.breakBefore === 'series_break' ? msg('break in series') : p?.breakBefore === 'source_changed' ? msg('new source') : p?.breakBefore === 'gap' ? msg('after a gap') : '';
    return html`
      <div class="legend" aria-hidden="true">
        <span><span class="swatch national"></span>${msg('National')}</span>
        <span><span class="swatch international"></span>${msg('International (dashed)')}</span>
      </div>
      <div class="plot" role="img" aria-label=${msg('Chart of the national and the international values over the years; the table below gives the same values.')}></div>
      <table>
        <caption class="visually-hidden">${msg('Values by year')}</caption>
        <thead>
          <tr>
            <th scope="col">${msg('Year')}</th>
            <th scope="col">${msg('National')}</th>
            <th scope="col">${msg('International')}</th>
            <th scope="col">${msg('Nature')}</th>
          </tr>
        </thead>
        <tbody>
          ${sorted.map((year) => {
            const n = at(series.national, year);
            const i = at(series.international, year);
            return html`<tr class=${year === series.caseYear ? 'case-year' : ''} data-year=${year}>
              <td>${year}</td>
              <td data-side="national">${n ? formatValue(n.value) : '—'} <span class="break">${breakText(n)}</span></td>
              <td data-side="international">${i ? formatValue(i.value) : '—'} <span class="break">${breakText(i)}</span></td>
              <td>${i ? natureLabel(i.nature) : ''}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    `;
  }
}

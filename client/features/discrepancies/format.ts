import { formatNumber } from '../../app/format.js';

/** A value as the register shows it: up to three decimals, in the reader's language. */
export const formatValue = (value: number) => formatNumber(Math.round(value * 1000) / 1000);

/** A relative difference as a signed percentage ("+14.9 %"), or a dash when there is none (a national zero). */
export function percent(relative: number | null): string {
  if (relative === null) return '—';
  const value = Math.round(relative * 1000) / 10;
  return `${value > 0 ? '+' : ''}${formatNumber(value)} %`;
}

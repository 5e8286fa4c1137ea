import { html, type TemplateResult } from 'lit';

/** The browser's own zone: the default in sign-up forms. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

let cachedZones: Array<{ zone: string; label: string }> | null = null;

function offsetOf(zone: string, now: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(now)
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? '';
  } catch {
    return '';
  }
}

/**
 * Every zone the browser knows, labelled with its current UTC offset ("America/Santiago (GMT-3)").
 * Computed once: formatting ~420 zones is not free.
 */
function allZones(): Array<{ zone: string; label: string }> {
  if (cachedZones) return cachedZones;
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  if (!zones.includes('UTC')) zones = [...zones, 'UTC'];
  const now = new Date();
  cachedZones = zones
    .map((zone) => {
      const offset = offsetOf(zone, now);
      const name = zone.replaceAll('_', ' ');
      return { zone, label: offset ? `${name} (${offset})` : name };
    })
    .sort((a, b) => a.zone.localeCompare(b.zone));
  return cachedZones;
}

/** <option>s for a time zone <select>; `selected` is added if the browser lists it under another name. */
export function timeZoneOptions(selected: string): TemplateResult {
  const zones = allZones();
  const extra = selected && !zones.some((z) => z.zone === selected) ? [{ zone: selected, label: selected.replaceAll('_', ' ') }] : [];
  return html`${[...extra, ...zones].map((z) => html`<option value=${z.zone} ?selected=${z.zone === selected}>${z.label}</option>`)}`;
}

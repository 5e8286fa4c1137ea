import { html, type TemplateResult } from 'lit';
import { currentLocale, type UiLocale } from './i18n.js';
import { zoneCityName, zoneRegionName } from './zone-names.js';

/** The browser's own zone: the default in sign-up forms. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

interface ZoneOption {
  zone: string;
  label: string;
  region: string;
}

const cachedZones = new Map<UiLocale, ZoneOption[]>();

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

function optionOf(zone: string, now: Date, locale: UiLocale): ZoneOption {
  const offset = offsetOf(zone, now);
  const name = zoneCityName(zone, locale);
  return { zone, label: offset ? `${name} (${offset})` : name, region: zoneRegionName(zone, locale) };
}

/**
 * Every zone the browser knows, named by its city in the interface language and labelled with
 * its current UTC offset ("Ciudad de México (GMT-6)"), sorted by name within each region.
 * Computed once per language: formatting ~420 zones is not free.
 */
function allZones(locale: UiLocale): ZoneOption[] {
  const cached = cachedZones.get(locale);
  if (cached) return cached;
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  if (!zones.includes('UTC')) zones = [...zones, 'UTC'];
  const now = new Date();
  const options = zones.map((zone) => optionOf(zone, now, locale)).sort((a, b) => a.region.localeCompare(b.region, locale) || a.label.localeCompare(b.label, locale));
  cachedZones.set(locale, options);
  return options;
}

/** <option>s for a time zone <select>, grouped by region; `selected` is added if the browser lists it under another name. */
export function timeZoneOptions(selected: string): TemplateResult {
  const locale = currentLocale();
  const zones = allZones(locale);
  const extra = selected && !zones.some((z) => z.zone === selected) ? [optionOf(selected, new Date(), locale)] : [];
  const option = (z: ZoneOption) => html`<option value=${z.zone} ?selected=${z.zone === selected}>${z.label}</option>`;
  const regions = [...new Set(zones.map((z) => z.region))];
  return html`${extra.map(option)}${regions.map((region) => {
    const inRegion = zones.filter((z) => z.region === region).map(option);
    return region ? html`<optgroup label=${region}>${inRegion}</optgroup>` : inRegion;
  })}`;
}

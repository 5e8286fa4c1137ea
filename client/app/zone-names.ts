import { currentLocale, type UiLocale } from './i18n.js';

/**
 * Time-zone names people recognise in their language. Intl.DisplayNames has no city names,
 * so the tz database's English ones ("Mexico City", "Port of Spain") would show in every
 * language. This table gives the Spanish, Portuguese and French names of the capitals of the
 * group's countries and of the zones members commonly pick; a language's entry is left out
 * where it writes the name as English does. Other zones keep the tz database's name.
 */
type Names = Partial<Record<Exclude<UiLocale, 'en'>, string>>;

const CITIES: Record<string, Names> = {
  'America/Mexico_City': { es: 'Ciudad de México', pt: 'Cidade do México', fr: 'Mexico' },
  'America/Port_of_Spain': { es: 'Puerto España', pt: 'Port of Spain', fr: 'Port-d’Espagne' },
  'America/Sao_Paulo': { es: 'São Paulo', pt: 'São Paulo', fr: 'São Paulo' },
  'America/Bogota': { es: 'Bogotá', pt: 'Bogotá', fr: 'Bogota' },
  'America/Asuncion': { es: 'Asunción', pt: 'Assunção', fr: 'Asuncion' },
  'America/Havana': { es: 'La Habana', pt: 'Havana', fr: 'La Havane' },
  'America/Panama': { es: 'Panamá', pt: 'Panamá', fr: 'Panama' },
  'America/Costa_Rica': { es: 'Costa Rica (San José)', pt: 'Costa Rica (San José)', fr: 'Costa Rica (San José)' },
  'America/El_Salvador': { es: 'El Salvador (San Salvador)', pt: 'El Salvador (San Salvador)', fr: 'Salvador (San Salvador)' },
  'America/Guatemala': { es: 'Guatemala', pt: 'Guatemala', fr: 'Guatemala' },
  'America/Belize': { es: 'Belice', pt: 'Belize', fr: 'Belize' },
  'America/Jamaica': { es: 'Jamaica (Kingston)', pt: 'Jamaica (Kingston)', fr: 'Jamaïque (Kingston)' },
  'America/Santo_Domingo': { es: 'Santo Domingo', pt: 'São Domingos', fr: 'Saint-Domingue' },
  'America/Port-au-Prince': { es: 'Puerto Príncipe', pt: 'Porto Príncipe', fr: 'Port-au-Prince' },
  'America/St_Kitts': { es: 'San Cristóbal y Nieves (Basseterre)', pt: 'São Cristóvão e Névis (Basseterre)', fr: 'Saint-Christophe-et-Niévès (Basseterre)' },
  'America/St_Lucia': { es: 'Santa Lucía (Castries)', pt: 'Santa Lúcia (Castries)', fr: 'Sainte-Lucie (Castries)' },
  'America/St_Vincent': { es: 'San Vicente (Kingstown)', pt: 'São Vicente (Kingstown)', fr: 'Saint-Vincent (Kingstown)' },
  'America/Grenada': { es: 'Granada (Saint George’s)', pt: 'Granada (Saint George’s)', fr: 'Grenade (Saint-Georges)' },
  'America/Dominica': { es: 'Dominica (Roseau)', pt: 'Dominica (Roseau)', fr: 'Dominique (Roseau)' },
  'America/Antigua': { es: 'Antigua y Barbuda (Saint John’s)', pt: 'Antígua e Barbuda (Saint John’s)', fr: 'Antigua-et-Barbuda (Saint John’s)' },
  'America/Barbados': { es: 'Barbados (Bridgetown)', pt: 'Barbados (Bridgetown)', fr: 'Barbade (Bridgetown)' },
  'America/Nassau': { es: 'Nasáu', pt: 'Nassau', fr: 'Nassau' },
  'America/Guyana': { es: 'Guyana (Georgetown)', pt: 'Guiana (Georgetown)', fr: 'Guyana (Georgetown)' },
  'America/Paramaribo': { es: 'Paramaribo', pt: 'Paramaribo', fr: 'Paramaribo' },
  'America/Cayenne': { es: 'Cayena', pt: 'Caiena', fr: 'Cayenne' },
  'America/Guayaquil': { es: 'Ecuador (Quito, Guayaquil)', pt: 'Equador (Quito, Guayaquil)', fr: 'Équateur (Quito, Guayaquil)' },
  'America/Martinique': { es: 'Martinica', pt: 'Martinica', fr: 'Martinique' },
  'America/Guadeloupe': { es: 'Guadalupe', pt: 'Guadalupe', fr: 'Guadeloupe' },
  'America/Puerto_Rico': { es: 'Puerto Rico', pt: 'Porto Rico', fr: 'Porto Rico' },
  'America/Curacao': { es: 'Curazao', pt: 'Curaçao', fr: 'Curaçao' },
  'America/Cancun': { es: 'Cancún', pt: 'Cancún', fr: 'Cancún' },
  'America/Merida': { es: 'Mérida', pt: 'Mérida', fr: 'Mérida' },
  'America/Mazatlan': { es: 'Mazatlán', pt: 'Mazatlán', fr: 'Mazatlán' },
  'America/Bahia_Banderas': { es: 'Bahía de Banderas', pt: 'Bahía de Banderas', fr: 'Bahía de Banderas' },
  'America/Belem': { es: 'Belém', pt: 'Belém', fr: 'Belém' },
  'America/Cuiaba': { es: 'Cuiabá', pt: 'Cuiabá', fr: 'Cuiabá' },
  'America/Maceio': { es: 'Maceió', pt: 'Maceió', fr: 'Maceió' },
  'America/Araguaina': { es: 'Araguaína', pt: 'Araguaína', fr: 'Araguaína' },
  'America/Noronha': { es: 'Fernando de Noronha', pt: 'Fernando de Noronha', fr: 'Fernando de Noronha' },
  'America/Argentina/Cordoba': { es: 'Córdoba', pt: 'Córdoba', fr: 'Córdoba' },
  'America/Argentina/Tucuman': { es: 'Tucumán', pt: 'Tucumán', fr: 'Tucumán' },
  'America/New_York': { es: 'Nueva York', pt: 'Nova York', fr: 'New York' },
  'America/Los_Angeles': { es: 'Los Ángeles', pt: 'Los Angeles', fr: 'Los Angeles' },
  'America/St_Johns': { es: 'San Juan de Terranova', pt: 'Saint John’s (Terra Nova)', fr: 'Saint-Jean de Terre-Neuve' },
  'Atlantic/Bermuda': { es: 'Bermudas', pt: 'Bermudas', fr: 'Bermudes' },
  'Pacific/Easter': { es: 'Isla de Pascua', pt: 'Ilha de Páscoa', fr: 'Île de Pâques' },
  'Pacific/Galapagos': { es: 'Galápagos', pt: 'Galápagos', fr: 'Galápagos' },
  'Europe/London': { es: 'Londres', pt: 'Londres', fr: 'Londres' },
  'Europe/Lisbon': { es: 'Lisboa', pt: 'Lisboa', fr: 'Lisbonne' },
  'Europe/Madrid': { es: 'Madrid', pt: 'Madri', fr: 'Madrid' },
  'Europe/Paris': { es: 'París', pt: 'Paris', fr: 'Paris' },
  'Europe/Brussels': { es: 'Bruselas', pt: 'Bruxelas', fr: 'Bruxelles' },
  'Europe/Zurich': { es: 'Zúrich', pt: 'Zurique', fr: 'Zurich' },
  'Europe/Rome': { es: 'Roma', pt: 'Roma', fr: 'Rome' },
  'Europe/Berlin': { es: 'Berlín', pt: 'Berlim', fr: 'Berlin' },
  'Europe/Amsterdam': { es: 'Ámsterdam', pt: 'Amsterdã', fr: 'Amsterdam' },
  'Europe/Vienna': { es: 'Viena', pt: 'Viena', fr: 'Vienne' },
  'Europe/Copenhagen': { es: 'Copenhague', pt: 'Copenhague', fr: 'Copenhague' },
  'Europe/Stockholm': { es: 'Estocolmo', pt: 'Estocolmo', fr: 'Stockholm' },
  'Europe/Moscow': { es: 'Moscú', pt: 'Moscou', fr: 'Moscou' },
  'Africa/Cairo': { es: 'El Cairo', pt: 'Cairo', fr: 'Le Caire' },
  'Asia/Tokyo': { es: 'Tokio', pt: 'Tóquio', fr: 'Tokyo' },
  'Asia/Shanghai': { es: 'Shanghái', pt: 'Xangai', fr: 'Shanghai' },
  'Asia/Singapore': { es: 'Singapur', pt: 'Singapura', fr: 'Singapour' },
  'Asia/Bangkok': { es: 'Bangkok', pt: 'Bangkok', fr: 'Bangkok' },
};

const REGIONS: Record<string, Names & { en: string }> = {
  America: { en: 'America', es: 'América', pt: 'América', fr: 'Amérique' },
  Europe: { en: 'Europe', es: 'Europa', pt: 'Europa', fr: 'Europe' },
  Africa: { en: 'Africa', es: 'África', pt: 'África', fr: 'Afrique' },
  Asia: { en: 'Asia', es: 'Asia', pt: 'Ásia', fr: 'Asie' },
  Atlantic: { en: 'Atlantic', es: 'Atlántico', pt: 'Atlântico', fr: 'Atlantique' },
  Pacific: { en: 'Pacific', es: 'Pacífico', pt: 'Pacífico', fr: 'Pacifique' },
  Indian: { en: 'Indian Ocean', es: 'Océano Índico', pt: 'Oceano Índico', fr: 'Océan Indien' },
  Australia: { en: 'Australia', es: 'Australia', pt: 'Austrália', fr: 'Australie' },
  Antarctica: { en: 'Antarctica', es: 'Antártida', pt: 'Antártida', fr: 'Antarctique' },
  Arctic: { en: 'Arctic', es: 'Ártico', pt: 'Ártico', fr: 'Arctique' },
};

/** "America/Mexico_City" → "Ciudad de México" for a Spanish reader, "Mexico City" for an English one. */
export function zoneCityName(zone: string, locale: UiLocale = currentLocale()): string {
  const named = locale === 'en' ? undefined : CITIES[zone]?.[locale];
  if (named) return named;
  const parts = zone.split('/');
  // "America/Argentina/Buenos_Aires" → "Buenos Aires"; "America/Indiana/Knox" → "Knox (Indiana)".
  const city = (parts.at(-1) ?? zone).replaceAll('_', ' ');
  return parts.length === 3 && parts[1] !== 'Argentina' ? `${city} (${parts[1]!.replaceAll('_', ' ')})` : city;
}

/** The zone's region ("América"), or '' for UTC and the like. */
export function zoneRegionName(zone: string, locale: UiLocale = currentLocale()): string {
  const region = REGIONS[zone.split('/')[0] ?? ''];
  if (!region || !zone.includes('/')) return '';
  return (locale === 'en' ? region.en : region[locale]) ?? region.en;
}

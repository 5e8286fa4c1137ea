import { CnCalendarSettings } from './calendar-settings.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

// The meetings' element the profile page embeds (the personal calendar feed): defined here so the
// profile loads it without the meetings' pages.
const ELEMENTS = { 'cn-calendar-settings': CnCalendarSettings };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}

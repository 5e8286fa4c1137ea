import { CnCalendarSettings } from './calendar-settings.js';

// The meetings' element the profile page embeds (the personal calendar feed): defined here so the
// profile loads it without the meetings' pages.
customElements.define('cn-calendar-settings', CnCalendarSettings);

declare global {
  interface HTMLElementTagNameMap {
    'cn-calendar-settings': CnCalendarSettings;
  }
}

import { CnHomePage } from './home-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = { 'cn-home-page': CnHomePage };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}

import { CnInstanceGroupsPage } from './groups-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-instance-groups-page': CnInstanceGroupsPage,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}

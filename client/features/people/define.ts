import { CnDirectoryPage } from './directory-page.js';
import { CnPersonPage } from './person-page.js';
import { CnProfilePage } from './profile-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-directory-page': CnDirectoryPage,
  'cn-person-page': CnPersonPage,
  'cn-profile-page': CnProfilePage,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}

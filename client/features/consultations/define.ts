import '../../ui/indicator-picker/indicator-picker.js';
import '../../ui/link-picker/link-picker.js';
import { CnConsultationAnswerForm } from './answer-form.js';
import { CnConsultationBuilder } from './builder-page.js';
import { CnConsultationPage } from './consultation-page.js';
import { CnConsultationsPage } from './consultations-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-consultations-page': CnConsultationsPage,
  'cn-consultation-builder': CnConsultationBuilder,
  'cn-consultation-page': CnConsultationPage,
  'cn-consultation-answer-form': CnConsultationAnswerForm,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}

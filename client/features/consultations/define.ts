import '../../ui/indicator-picker/indicator-picker.js';
import '../../ui/link-picker/link-picker.js';
import { CnConsultationAnswerForm } from './answer-form.js';
import { CnConsultationBuilder } from './builder-page.js';
import { CnConsultationPage } from './consultation-page.js';
import { CnConsultationsPage } from './consultations-page.js';

customElements.define('cn-consultations-page', CnConsultationsPage);
customElements.define('cn-consultation-builder', CnConsultationBuilder);
customElements.define('cn-consultation-page', CnConsultationPage);
customElements.define('cn-consultation-answer-form', CnConsultationAnswerForm);

declare global {
  interface HTMLElementTagNameMap {
    'cn-consultations-page': CnConsultationsPage;
    'cn-consultation-builder': CnConsultationBuilder;
    'cn-consultation-page': CnConsultationPage;
    'cn-consultation-answer-form': CnConsultationAnswerForm;
  }
}

import { api, type UploadOptions } from '../../app/api.js';
import type { AnswerChange, ConsultationDetail, ConsultationSummary, DraftResponse, Matrix, Questionnaire, RespondentAnswers, Review } from './models.js';

const id = (value: string) => encodeURIComponent(value);
const base = (consultationId: string) => `/consultations/${id(consultationId)}`;

export interface ConsultationInput {
  title: { es: string; en: string };
  purpose?: { es: string; en: string };
  deadline: { date: string; time: string; zone: string };
  targets?: string[];
  questionnaire?: Questionnaire;
  related?: { documents?: string[]; meetings?: string[]; indicators?: string[] };
}

export const consultationsApi = {
  list: (signal?: AbortSignal) => api.get<{ items: ConsultationSummary[]; waiting: ConsultationSummary[] }>('/consultations', { signal }),
  get: (consultationId: string, signal?: AbortSignal) => api.get<{ consultation: ConsultationDetail }>(base(consultationId), { signal }).then((r) => r.consultation),
  create: (input: ConsultationInput) => api.post<{ consultation: ConsultationDetail }>('/consultations', input).then((r) => r.consultation),
  update: (consultationId: string, version: number, input: Partial<ConsultationInput>) => api.patch<{ consultation: ConsultationDetail }>(base(consultationId), { version, ...input }).then((r) => r.consultation),
  open: (consultationId: string) => api.post<{ consultation: ConsultationDetail }>(`${base(consultationId)}/open`, {}).then((r) => r.consultation),
  close: (consultationId: string) => api.post<{ consultation: ConsultationDetail }>(`${base(consultationId)}/close`, {}).then((r) => r.consultation),
  draft: (consultationId: string, signal?: AbortSignal) => api.get<DraftResponse>(`${base(consultationId)}/draft`, { signal }),
  save: (consultationId: string, baseRevision: number, changes: AnswerChange[]) => api.patch<DraftResponse>(`${base(consultationId)}/draft`, { base: baseRevision, changes }),
  submit: (consultationId: string, revision: number) => api.post<DraftResponse>(`${base(consultationId)}/submit`, { revision }),
  reopen: (consultationId: string) => api.post<DraftResponse>(`${base(consultationId)}/reopen`, {}),
  /** A file question's upload: a library document for the delegation and the organizers; then saved in the draft by id. */
  uploadFile: (consultationId: string, question: string, file: File, options?: UploadOptions) => {
    const form = new FormData();
    form.append('question', question);
    form.append('file', file, file.name);
    return api.upload<{ document: { id: string; title: { es: string; en: string } } }>(`${base(consultationId)}/files`, form, options).then((r) => r.document);
  },
  matrix: (consultationId: string, signal?: AbortSignal) => api.get<Matrix>(`${base(consultationId)}/matrix`, { signal }),
  respondent: (consultationId: string, respondent: string, signal?: AbortSignal) => api.get<RespondentAnswers>(`${base(consultationId)}/respondents/${id(respondent)}`, { signal }),
  query: (consultationId: string, respondent: string, question: string, text: string) =>
    api.post<{ review: Review }>(`${base(consultationId)}/respondents/${id(respondent)}/queries`, { question, text }).then((r) => r.review),
  reply: (consultationId: string, respondent: string, queryId: string, text: string) =>
    api.post<{ review: Review }>(`${base(consultationId)}/respondents/${id(respondent)}/queries/${id(queryId)}/messages`, { text }).then((r) => r.review),
  resolve: (consultationId: string, respondent: string, queryId: string) =>
    api.post<{ review: Review }>(`${base(consultationId)}/respondents/${id(respondent)}/queries/${id(queryId)}/resolve`, {}).then((r) => r.review),
  accept: (consultationId: string, respondent: string, question: string) =>
    api.put<{ review: Review }>(`${base(consultationId)}/respondents/${id(respondent)}/answers/${id(question)}/acceptance`, {}).then((r) => r.review),
};

/** The consolidated report, a printable page of its own. */
export const reportHref = (consultationId: string) => `/api${base(consultationId)}/report.html`;

/** Download links: plain links (with `download`), so the browser streams the file itself. */
export const exportHref = (consultationId: string, format: 'xlsx' | 'csv', layout: 'wide' | 'long') => `/api${base(consultationId)}/export.${format}?layout=${layout}`;

/**
 * The consultations' answers as the client reads them (docs/consultations-api.md). The questionnaire
 * and answer shapes are the server's domain types, imported as types only.
 */
import type { AnswerChange, AnswerMap, AnswerValue, CellValue, Column, Question, Questionnaire, RowDefinition, Section } from '../../../server/features/consultations/domain/schemas.js';

export type { AnswerChange, AnswerMap, AnswerValue, CellValue, Column, Question, Questionnaire, RowDefinition, Section };

export type Bilingual = { es: string; en: string };
export type RespondentStatus = 'not_started' | 'draft' | 'submitted' | 'declined' | 'late' | 'extended';
export type ReviewStatus = 'pending' | 'accepted' | 'query_open' | 'resolved';

export interface RespondentRef {
  id: string;
  kind: 'country' | 'organization';
  name: Bilingual;
  code: string;
}

export interface MyPosition {
  respondent: RespondentRef;
  status: RespondentStatus;
  writableUntil: string;
  maySubmit: boolean;
  submissions: number;
  reopened: boolean;
  declinedReason: string | null;
  openQueries: number;
}

export interface Deadline {
  date: string;
  time: string;
  zone: string;
}

export interface ConsultationSummary {
  id: string;
  title: Bilingual;
  status: 'draft' | 'open' | 'closed';
  deadline: Deadline;
  deadlineAt: string;
  deadlineForReader: Deadline & { offset: string };
  openedAt: string | null;
  closedAt: string | null;
  questionCount: number;
  targetCount: number;
  mine: MyPosition | null;
}

export interface ConsultationDetail extends ConsultationSummary {
  purpose: Bilingual;
  version: number;
  targets: RespondentRef[];
  questionnaire: Questionnaire;
  summary: { text: Bilingual; publishedAt: string } | null;
  createdBy: { id: string; displayName: string };
  createdAt: string;
  mayManage: boolean;
  earlierRoundId: string | null;
  /** Related documents and meetings this reader may read, and indicator codes. */
  related: { items: Array<{ kind: string; id: string; title: string; href: string }>; indicators: string[] };
}

export interface FieldMeta {
  revision: number;
  by: string | null;
  at: number;
  prefilled: { from: string } | null;
}

export interface Draft {
  revision: number;
  answers: AnswerMap;
  fields: Record<string, FieldMeta>;
  people: Record<string, string>;
}

/** A delegate's reply by mail that answered no query, kept beside the draft. */
export interface MailNote {
  id: string;
  by: { id: string; displayName: string };
  at: string;
  text: string;
}

export interface DraftResponse {
  draft: Draft;
  position: MyPosition;
  /** A data validation round: this delegation's rows of each generated table, by question id. */
  generatedRows: Record<string, RowDefinition[]>;
  /** The library documents file answers name, with their titles (the file's name). */
  documents: AnswerDocuments;
  /** The delegation's replies by mail kept as notes, oldest first. */
  mailNotes: MailNote[];
}

export type AnswerDocuments = Record<string, { title: { es: string; en: string } }>;

export interface MatrixRow {
  respondent: RespondentRef;
  status: RespondentStatus;
  submissions: number;
  lastSubmittedAt: string | null;
  submittedLate: boolean;
  reopened: boolean;
  lastWriteAt: string | null;
  declinedReason: string | null;
  extensionUntil: string | null;
  writableUntil: string;
  openQueries: number;
}

export interface Matrix {
  rows: MatrixRow[];
  counts: Record<RespondentStatus, number>;
  total: number;
}

export interface QueryMessage {
  id: string;
  by: { id: string; displayName: string } | null;
  side: 'organizer' | 'respondent';
  at: string;
  text: string;
}

export interface Query {
  id: string;
  openedBy: { id: string; displayName: string } | null;
  openedAt: string;
  resolvedAt: string | null;
  messages: QueryMessage[];
}

export interface Review {
  question: string;
  status: ReviewStatus;
  acceptedAt: string | null;
  queries: Query[];
}

export interface Submission {
  number: number;
  at: string;
  by: { id: string; displayName: string } | null;
  late: boolean;
  answers: AnswerMap;
  changes: string[];
  /** A data validation round: what the discrepancy register made of each answered row. */
  validation: Array<{ question: string; row: string; action: 'confirm' | 'correct' | 'explain'; outcome: string; caseId: string | null }> | null;
}

export interface RespondentAnswers {
  respondent: RespondentRef;
  status: RespondentStatus;
  submissions: Submission[];
  reviews: Review[];
  documents: AnswerDocuments;
}

import type { Comment, CommentType } from './comments.js';
import { effectiveReply, type Disposition, type DispositionKind, type EffectiveReply, type Reply } from './dispositions.js';
import type { Party } from './participants.js';
import type { RoundState } from './round.js';
import { blockOrder, TITLE_LABEL, type DocumentStructure } from './structure.js';

/**
 * The comment-resolution matrix: every submitted comment of a round with its country, anchor, type,
 * text, proposed change, disposition, rationale ("observations of the secretariat", ISO's last
 * column), reply and where it was applied. A pure function of what the route gathered; matrix-export
 * writes it as XLSX and as a printable page, and the page shows the same rows.
 *
 * Rows follow the document: comments on the whole document first, then by paragraph in reading
 * order and by position within it, then by country or agency name, then by submission time. Drafts
 * never appear. The reply column says what stands: the reply, "pending" while the commenter may
 * still answer, "accepted (no reply)" once the round is over (silence is acceptance).
 */

export type MatrixLanguage = 'en' | 'es' | 'pt' | 'fr';
export const MATRIX_COLUMNS = ['number', 'party', 'anchor', 'type', 'comment', 'proposedChange', 'disposition', 'rationale', 'reply', 'appliedIn'] as const;
export type MatrixColumn = (typeof MATRIX_COLUMNS)[number];

export interface MatrixSource {
  language: MatrixLanguage;
  documentTitle: string;
  /** The commented version's name ("Version 1", "Borrador 2026-05-04"). */
  versionName: string;
  round: RoundState;
  now: Date;
  /** The commented version's structure: the order of rows. */
  structure: DocumentStructure;
  comments: readonly Comment[];
  dispositions: ReadonlyMap<string, Disposition>;
  replies: ReadonlyMap<string, Reply>;
  partyName: (party: Party) => string;
  /** Names of versions that "applied in" links point to. */
  versionNames: Readonly<Record<string, string>>;
  pageUrl: string;
}

export interface MatrixRow {
  number: number;
  commentId: string;
  party: string;
  /** "2.2 ¶1", or "General" for the whole document. */
  anchor: string;
  /** The commented passage, if the comment is on one. */
  quote: string | null;
  type: string;
  comment: string;
  proposedChange: string;
  disposition: string;
  rationale: string;
  reply: string;
  appliedIn: string;
}

export interface Matrix {
  language: MatrixLanguage;
  documentTitle: string;
  versionName: string;
  columns: Record<MatrixColumn, string>;
  labels: { title: string; document: string; version: string; round: string; generated: string; source: string; about: string; sheet: string; empty: string };
  rows: MatrixRow[];
  generatedAt: string;
  pageUrl: string;
}

interface Labels {
  columns: Record<MatrixColumn, string>;
  general: string;
  /** The label of the document's title block ("Title" in the structure). */
  title: string;
  types: Record<CommentType, string>;
  dispositions: Record<DispositionKind, string>;
  replies: Record<Exclude<EffectiveReply, 'none'>, string>;
  objects: (text: string) => string;
  matrix: Matrix['labels'];
}

export const MATRIX_LABELS: Record<MatrixLanguage, Labels> = {
  en: {
    columns: { number: 'No.', party: 'Country or agency', anchor: 'Section ¶', type: 'Type', comment: 'Comment', proposedChange: 'Proposed change', disposition: 'Disposition', rationale: 'Observations of the secretariat', reply: 'Reply', appliedIn: 'Applied in' },
    general: 'General',
    title: 'Title',
    types: { general: 'General', technical: 'Technical', editorial: 'Editorial' },
    dispositions: { accepted: 'Accepted', partially_accepted: 'Partially accepted', not_accepted: 'Not accepted', noted: 'Noted', deferred: 'Deferred' },
    replies: { pending: 'Pending', satisfied: 'Satisfied', objects: 'Objects', accepted_by_silence: 'Accepted (no reply)' },
    objects: (text) => `Objects: ${text}`,
    matrix: { title: 'Comment-resolution matrix', document: 'Document', version: 'Version', round: 'Comment round', generated: 'Generated', source: 'On Concilia', about: 'About', sheet: 'Matrix', empty: 'No comments were submitted.' },
  },
  es: {
    columns: { number: 'N.º', party: 'País u organismo', anchor: 'Sección ¶', type: 'Tipo', comment: 'Comentario', proposedChange: 'Cambio propuesto', disposition: 'Decisión', rationale: 'Observaciones de la secretaría', reply: 'Respuesta', appliedIn: 'Aplicado en' },
    general: 'General',
    title: 'Título',
    types: { general: 'General', technical: 'Técnico', editorial: 'Editorial' },
    dispositions: { accepted: 'Aceptado', partially_accepted: 'Aceptado parcialmente', not_accepted: 'No aceptado', noted: 'Tomado en cuenta', deferred: 'Aplazado' },
    replies: { pending: 'Pendiente', satisfied: 'Conforme', objects: 'Objeta', accepted_by_silence: 'Aceptado (sin respuesta)' },
    objects: (text) => `Objeta: ${text}`,
    matrix: { title: 'Matriz de resolución de comentarios', document: 'Documento', version: 'Versión', round: 'Ronda de comentarios', generated: 'Generada', source: 'En Concilia', about: 'Acerca de', sheet: 'Matriz', empty: 'No se presentaron comentarios.' },
  },
  pt: {
    columns: { number: 'N.º', party: 'País ou organismo', anchor: 'Seção ¶', type: 'Tipo', comment: 'Comentário', proposedChange: 'Alteração proposta', disposition: 'Decisão', rationale: 'Observações da secretaria', reply: 'Resposta', appliedIn: 'Aplicado em' },
    general: 'Geral',
    title: 'Título',
    types: { general: 'Geral', technical: 'Técnico', editorial: 'Editorial' },
    dispositions: { accepted: 'Aceito', partially_accepted: 'Aceito em parte', not_accepted: 'Não aceito', noted: 'Registrado', deferred: 'Adiado' },
    replies: { pending: 'Pendente', satisfied: 'De acordo', objects: 'Objeta', accepted_by_silence: 'Aceito (sem resposta)' },
    objects: (text) => `Objeta: ${text}`,
    matrix: { title: 'Matriz de resolução de comentários', document: 'Documento', version: 'Versão', round: 'Rodada de comentários', generated: 'Gerada', source: 'No Concilia', about: 'Sobre', sheet: 'Matriz', empty: 'Nenhum comentário foi enviado.' },
  },
  fr: {
    columns: { number: 'N°', party: 'Pays ou organisme', anchor: 'Section ¶', type: 'Type', comment: 'Commentaire', proposedChange: 'Modification proposée', disposition: 'Décision', rationale: 'Observations du secrétariat', reply: 'Réponse', appliedIn: 'Appliqué dans' },
    general: 'Général',
    title: 'Titre',
    types: { general: 'Général', technical: 'Technique', editorial: 'Rédactionnel' },
    dispositions: { accepted: 'Accepté', partially_accepted: 'Accepté en partie', not_accepted: 'Non accepté', noted: 'Pris en note', deferred: 'Reporté' },
    replies: { pending: 'En attente', satisfied: 'Satisfait', objects: 'Objecte', accepted_by_silence: 'Accepté (sans réponse)' },
    objects: (text) => `Objecte : ${text}`,
    matrix: { title: 'Matrice de résolution des commentaires', document: 'Document', version: 'Version', round: 'Cycle de commentaires', generated: 'Générée', source: 'Sur Concilia', about: 'À propos', sheet: 'Matrice', empty: 'Aucun commentaire n’a été soumis.' },
  },
};

function place(comment: Comment, order: Map<string, number>): [number, number] {
  if (comment.anchor.kind === 'document') return [-1, 0];
  return [order.get(comment.anchor.blockId) ?? Number.MAX_SAFE_INTEGER, comment.anchor.kind === 'passage' ? comment.anchor.position.start : -1];
}

export function buildMatrix(source: MatrixSource): Matrix {
  const t = MATRIX_LABELS[source.language];
  const order = blockOrder(source.structure);
  const collator = new Intl.Collator(source.language, { sensitivity: 'base', numeric: true });
  const submitted = source.comments
    .filter((comment) => comment.state === 'submitted' && comment.roundId === source.round.id)
    .map((comment) => ({ comment, place: place(comment, order), party: source.partyName(comment.party) }))
    .sort(
      (a, b) =>
        a.place[0] - b.place[0] ||
        a.place[1] - b.place[1] ||
        collator.compare(a.party, b.party) ||
        (a.comment.submittedAt ?? '').localeCompare(b.comment.submittedAt ?? '') ||
        a.comment.id.localeCompare(b.comment.id),
    );
  const rows = submitted.map(({ comment, party }, i): MatrixRow => {
    const disposition = source.dispositions.get(comment.id) ?? null;
    const reply = source.replies.get(comment.id) ?? null;
    const standing = effectiveReply(disposition, reply, source.round, source.now);
    const applied = disposition?.appliedIn ?? null;
    const version = applied ? (source.versionNames[applied.versionId] ?? applied.versionId) : '';
    return {
      number: i + 1,
      commentId: comment.id,
      party,
      anchor: comment.anchor.kind === 'document' ? t.general : comment.anchor.label === TITLE_LABEL ? t.title : comment.anchor.label,
      quote: comment.anchor.kind === 'passage' ? comment.anchor.quote.exact : null,
      type: t.types[comment.type],
      comment: comment.text,
      proposedChange: comment.proposedText ?? '',
      disposition: disposition ? t.dispositions[disposition.kind] : '',
      rationale: disposition?.rationale ?? '',
      reply: standing === 'none' ? '' : standing === 'objects' && reply?.text ? t.objects(reply.text) : t.replies[standing],
      appliedIn: applied ? (applied.label ? `${version}, ${applied.label}` : version) : '',
    };
  });
  return {
    language: source.language,
    documentTitle: source.documentTitle,
    versionName: source.versionName,
    columns: t.columns,
    labels: t.matrix,
    rows,
    generatedAt: source.now.toISOString(),
    pageUrl: source.pageUrl,
  };
}

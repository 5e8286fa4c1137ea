import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { badRequest, errorResponses, notFound } from '../../../shared/errors.js';
import { NotModified } from '../../../shared/responses.js';
import type { DocumentFiles } from '../../documents/public.js';
import type { Person as DirectoryPerson } from '../../people/public.js';
import type { RoundsCore } from '../core.js';
import { mayViewRound, type Comment, type DelegationState } from '../domain/comments.js';
import { mayReadDispositions, type Disposition, type Reply } from '../domain/dispositions.js';
import { affiliation, consultedParties, isOrganizer, maySubmitFor, partyKey, partyOf, type Party, type Person } from '../domain/participants.js';
import type { Reanchored } from '../domain/reanchor.js';
import type { RoundState } from '../domain/round.js';
import type { SilenceState } from '../domain/silence.js';
import type { DocumentStructure } from '../domain/structure.js';
import type { StoredSubmission } from '../repository.js';
import { LaterCommentsQuery, LaterCommentsSchema, RoundDetailSchema, RoundIdParams, type RoundDetail } from '../schemas.js';
import { commentViews, commentWindow, roundSummary, silenceView } from '../views.js';

/** Everything a round's answer is built from, read once per round and generation (page-cache.ts). */
export interface RoundData {
  /** Until when (ms) the answer built from this holds: the next deadline it depends on. */
  validUntil: number;
  groupId: string;
  round: RoundState;
  structure: DocumentStructure;
  nextStructure: DocumentStructure | null;
  comments: Comment[];
  submissions: Array<StoredSubmission & { withdrawnAt: Date | null }>;
  dispositions: Map<string, Disposition>;
  replies: Map<string, Reply>;
  reanchors: Map<string, Reanchored>;
  silence: SilenceState | undefined;
  designations: Map<string, string | null>;
  directory: DirectoryPerson[];
  /** The document as each role reads it (a draft document is its publishers'); null: not readable. */
  documents: Map<string, DocumentFiles | null>;
}

/** The instants at which the answer changes by the clock alone: the round's deadlines and the silence procedure's. */
function validUntil(round: RoundState, silence: SilenceState | undefined, now: number): number {
  const instants = [round.deadline, round.replyDeadline, silence?.deadline].filter((at): at is string => typeof at === 'string').map((at) => Date.parse(at));
  return Math.min(Number.POSITIVE_INFINITY, ...instants.filter((at) => at > now));
}

/** The delegation of a party as the data has it (core.delegation without its queries). */
function delegationOf(data: RoundData, party: Party): DelegationState {
  const focalPointId = party.kind === 'country' ? (data.directory.find((entry) => entry.countryId === party.id && entry.delegationRole === 'focal_point' && entry.role === 'member')?.id ?? null) : null;
  const key = partyKey(party);
  const submissions = data.submissions.filter((entry) => entry.partyKey === key);
  const standing = submissions.find((entry) => entry.withdrawnAt === null) ?? null;
  return {
    party,
    focalPointId,
    designatedId: data.designations.get(key) ?? null,
    submission: standing && { revision: standing.revision, submittedAt: standing.submittedAt, submittedBy: standing.submittedBy, commentIds: standing.commentIds },
    revisions: submissions.reduce((max, entry) => Math.max(max, entry.revision), 0),
  };
}

/**
 * What makes one reader's answer differ from another's of the same round: the language (party
 * names), the role (what the document and the round show), the party and whether they speak for it
 * (consulted or under silence), and, for someone who does not, which of their delegation's drafts
 * are theirs to edit. Readers with the same key get the same bytes.
 */
function viewerKey(data: RoundData, viewer: Person, locale: string): string {
  const spanish = locale === 'es' || locale === 'pt';
  const own = partyOf(viewer, data.round.consulted);
  const any = affiliation(viewer);
  const submitsOwn = own !== null && maySubmitFor(viewer, own, delegationOf(data, own));
  const submitsAny = any !== null && any.kind === 'country' && maySubmitFor(viewer, any, delegationOf(data, any));
  const authorOfDrafts = own !== null && !submitsOwn && data.comments.some((comment) => comment.state === 'draft' && comment.authorId === viewer.id);
  return [spanish ? 'es' : 'en', viewer.role, any ? partyKey(any) : '-', own ? 'consulted' : '', submitsOwn ? 'S' : '', submitsAny ? 's' : '', authorOfDrafts ? viewer.id : ''].join('|');
}

/** The round, its text, and every comment with what this reader may see of it (pure but for party names); the answers carry a window of the comments. */
async function detail(core: RoundsCore, data: RoundData, document: DocumentFiles, viewer: Person, locale: string, now: Date): Promise<RoundDetail> {
  const { round, comments, submissions, dispositions, replies, reanchors, silence } = data;
  const names = new Map(data.directory.map((person) => [person.id, person.displayName]));
  const parties = consultedParties(round.consulted);
  const partyNames = new Map<string, string>();
  for (const party of parties) partyNames.set(partyKey(party), await core.partyName(party, locale));
  const ownParty = partyOf(viewer, round.consulted);
  const anyParty = affiliation(viewer);
  if (anyParty && !partyNames.has(partyKey(anyParty))) partyNames.set(partyKey(anyParty), await core.partyName(anyParty, locale));
  const delegation = ownParty ? delegationOf(data, ownParty) : null;
  const silenceDelegation = anyParty && anyParty.kind === 'country' ? delegationOf(data, anyParty) : null;
  const standing = new Map(submissions.filter((entry) => entry.withdrawnAt === null).map((entry) => [entry.partyKey, entry]));
  const visible = commentViews(comments, { round, viewer, now, dispositions, replies, reanchors, names, partyNames, delegation });
  return {
    round: roundSummary(round, document.title, now),
    structure: data.structure,
    nextStructure: data.nextStructure,
    versions: document.versions.map((version) => ({ number: version.number, fileName: version.fileName, uploadedAt: version.uploadedAt.toISOString() })),
    me: {
      party: ownParty,
      partyName: ownParty ? (partyNames.get(partyKey(ownParty)) ?? null) : null,
      isOrganizer: isOrganizer(viewer),
      maySubmit: delegation !== null && ownParty !== null && maySubmitFor(viewer, ownParty, delegation),
      submission: delegation?.submission ? { revision: delegation.submission.revision, submittedAt: delegation.submission.submittedAt } : null,
      drafts: ownParty ? comments.filter((comment) => comment.state === 'draft' && partyKey(comment.party) === partyKey(ownParty)).length : 0,
    },
    parties: parties.map((party) => {
      const key = partyKey(party);
      const submission = standing.get(key);
      return { party, key, name: partyNames.get(key) ?? party.id, submittedAt: submission?.submittedAt ?? null, revision: submission?.revision ?? 0, comments: submission?.commentIds.length ?? 0 };
    }),
    comments: visible,
    moreComments: null,
    dispositionsVisible: mayReadDispositions(round, viewer, now),
    silence: silence ? silenceView(silence, viewer, silenceDelegation, partyNames, now) : null,
  };
}

/**
 * GET /api/rounds/:id, the round's page: answered from memory while the round has not changed
 * (page-cache.ts), with an ETag. It was rebuilt on every request (0.3 % of hello-world in the
 * benchmark against a 5 % budget).
 */
export function roundPageRoutes(core: RoundsCore): FastifyPluginAsyncTypebox {
  return async (fastify) => {
    const { repository, pages } = core;

    const build = async (user: SessionUser, id: string): Promise<RoundData | undefined> => {
      const row = await repository.round(id);
      if (!row) return undefined;
      const round = row.state;
      const [structure, nextStructure, comments, submissions, dispositions, replies, reanchors, directory, silence, designations] = await Promise.all([
        core.structure(user, round.documentId, Number(round.versionId)),
        round.nextVersionId === null ? Promise.resolve(null) : core.structure(user, round.documentId, Number(round.nextVersionId)),
        repository.comments(round.id),
        repository.submissions(round.id),
        repository.dispositions(round.id),
        repository.replies(round.id),
        round.nextVersionId === null ? Promise.resolve(new Map<string, Reanchored>()) : repository.reanchors(round.id, Number(round.nextVersionId)),
        fastify.people.listDirectory(row.groupId),
        repository.silence(round.id),
        repository.designations(round.id),
      ]);
      return { validUntil: validUntil(round, silence, core.now().getTime()), groupId: row.groupId, round, structure, nextStructure, comments, submissions, dispositions, replies, reanchors, silence, designations, directory, documents: new Map() };
    };

    /** The reader's round data and document, or a 404 for a round they may not know of (remembered or not). */
    const readable = async (user: SessionUser, id: string) => {
      const viewer = await core.person(user);
      const now = core.now();
      const loaded = await pages.load(id, now.getTime(), () => build(user, id));
      if (!loaded || loaded.data.groupId !== user.groupId || !mayViewRound(loaded.data.round, viewer)) throw notFound('Round');
      const { data, generation } = loaded;
      let document = data.documents.get(user.role);
      if (document === undefined) {
        const files = await fastify.documents.versionFiles(user, data.round.documentId);
        document = files && files.groupId === user.groupId ? files : null;
        data.documents.set(user.role, document);
      }
      if (document === null) throw notFound('Document');
      return { viewer, now, data, generation, document, key: `${id}|${viewerKey(data, viewer, user.locale)}` };
    };
    const { answers } = pages;

    fastify.get(
      '/rounds/:id',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['rounds'],
          summary: 'A round: its version as numbered paragraphs, the comments the reader may see on the document and its opening paragraphs (moreComments says where the rest start), dispositions once published; ETag/If-None-Match supported',
          params: RoundIdParams,
          response: { 200: RoundDetailSchema, 304: NotModified, ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const id = request.params.id;
        const { viewer, now, data, generation, document, key } = await readable(user, id);
        let answer = answers.get(key, generation);
        if (!answer) {
          const whole = await detail(core, data, document, viewer, user.locale, now);
          const first = commentWindow(whole.comments, whole.structure.blocks, null)!;
          answer = answers.keep(key, generation, reply.serialize({ ...whole, comments: first.comments, moreComments: first.moreComments }) as string);
        }
        return answers.send(request, reply, key, answer);
      },
    );

    fastify.get(
      '/rounds/:id/comments',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['rounds'],
          summary: "The comments the reader may see on the paragraphs after a block, as many as the round page's first answer carries (moreComments: where the next ones start); ETag/If-None-Match supported",
          params: RoundIdParams,
          querystring: LaterCommentsQuery,
          response: { 200: LaterCommentsSchema, 304: NotModified, ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const id = request.params.id;
        const { after } = request.query;
        const { viewer, now, data, generation, document, key } = await readable(user, id);
        const laterKey = `${key}|after:${after}`;
        let answer = answers.get(laterKey, generation);
        if (!answer) {
          const whole = await detail(core, data, document, viewer, user.locale, now);
          const later = commentWindow(whole.comments, whole.structure.blocks, after);
          if (!later) throw badRequest('unknown_block', 'No paragraph of this version has that id.', { after });
          answer = answers.keep(laterKey, generation, reply.serialize(later) as string);
        }
        return answers.send(request, reply, laterKey, answer);
      },
    );
  };
}

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import type { DocumentFiles } from '../documents/public.js';
import { mayViewRound, type DelegationState } from './domain/comments.js';
import { affiliation, partyKey, type Party, type Person } from './domain/participants.js';
import type { Result } from '../../shared/result.js';
import type { RoundState } from './domain/round.js';
import type { DocumentStructure } from './domain/structure.js';
import { internalEvent } from '../../plugins/live/hub.js';
import { RoundPageCache } from './page-cache.js';
import { RoundsRepository, type RoundRow } from './repository.js';
import { readStructure } from './structures.js';
import type { RoundData } from './routes/round-page.js';

/** Stored (for no socket: drafts are their delegation's) when a delegation's drafts change, so other processes' round pages drop them. */
export const ROUND_DRAFTS_CHANGED = 'round.drafts-changed';

export interface RoundsOptions {
  /** The clock (tests move it). */
  now: () => Date;
  publicUrl: string;
}

/** What the rounds' routes share: the repository, the clock, who is who, and loading with the rules applied. */
export interface RoundsCore {
  repository: RoundsRepository;
  now: () => Date;
  publicUrl: string;
  newId: () => string;
  person(user: SessionUser): Promise<Person>;
  /** The round if it exists in the user's group and they may see it; 404 otherwise (a draft round does not exist for non-organizers). */
  load(user: SessionUser, id: string): Promise<{ row: RoundRow; round: RoundState; person: Person }>;
  delegation(round: RoundState, party: Party, groupId: string): Promise<DelegationState>;
  document(user: SessionUser, documentId: string): Promise<DocumentFiles>;
  /** The version's structure, read from its file the first time and kept. */
  structure(user: SessionUser, documentId: string, version: number): Promise<DocumentStructure>;
  partyName(party: Party, locale: string): Promise<string>;
  /** Tells the round's open pages that it changed; they fetch what their reader may see. */
  changed(roundId: string, what: string): Promise<void>;
  /** A delegation's drafts changed: the round's remembered answers go, here and (through the log) in other processes; no page is told. */
  draftsChanged(roundId: string): Promise<void>;
  /** The round pages' remembered answers (page-cache.ts). */
  pages: RoundPageCache<RoundData>;
}

/** A domain refusal as the API's error; the value otherwise. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new AppError(result.error.status, result.error.code, result.error.message);
  return result.value;
}

export function createRoundsCore(fastify: FastifyInstance, options: RoundsOptions): RoundsCore {
  const repository = new RoundsRepository(fastify.database);

  const person = async (user: SessionUser): Promise<Person> => {
    const found = await fastify.people.find(user.groupId, user.id);
    return { id: user.id, role: user.role, countryId: user.countryId, organizationId: user.organizationId, delegationRole: found?.delegationRole ?? null };
  };

  const document = async (user: SessionUser, documentId: string) => {
    const files = await fastify.documents.versionFiles(user, documentId);
    if (!files || files.groupId !== user.groupId) throw notFound('Document');
    return files;
  };

  const pages = new RoundPageCache<RoundData>();

  return {
    repository,
    pages,
    now: options.now,
    publicUrl: options.publicUrl,
    newId: () => randomUUID(),
    person,
    load: async (user, id) => {
      const row = await repository.round(id);
      if (!row || row.groupId !== user.groupId) throw notFound('Round');
      const viewer = await person(user);
      if (!mayViewRound(row.state, viewer)) throw notFound('Round');
      return { row, round: row.state, person: viewer };
    },
    delegation: async (round, party, groupId) => {
      let focalPointId: string | null = null;
      if (party.kind === 'country') {
        const directory = await fastify.people.listDirectory(groupId);
        focalPointId = directory.find((entry) => entry.countryId === party.id && entry.delegationRole === 'focal_point' && entry.role === 'member')?.id ?? null;
      }
      const key = partyKey(party);
      const submissions = (await repository.submissions(round.id)).filter((entry) => entry.partyKey === key);
      const standing = submissions.find((entry) => entry.withdrawnAt === null) ?? null;
      const designatedId = (await repository.designations(round.id)).get(key) ?? null;
      return {
        party,
        focalPointId,
        designatedId,
        submission: standing && { revision: standing.revision, submittedAt: standing.submittedAt, submittedBy: standing.submittedBy, commentIds: standing.commentIds },
        revisions: submissions.reduce((max, entry) => Math.max(max, entry.revision), 0),
      };
    },
    document,
    structure: async (user, documentId, version) => {
      const known = await repository.structure(documentId, version);
      if (known) return known;
      const files = await document(user, documentId);
      const file = files.versions.find((entry) => entry.number === version);
      if (!file) throw notFound('Version');
      const structure = await readStructure(fastify.files.store.pathOf(file.sha256), file.mime);
      await repository.saveStructure(documentId, version, structure, options.now());
      return structure;
    },
    partyName: async (party, locale) => {
      const spanish = locale === 'es' || locale === 'pt';
      if (party.kind === 'country') {
        const country = await fastify.reference.findCountry(party.id);
        return country ? (spanish ? country.nameEs : country.nameEn) : party.id;
      }
      const organization = await fastify.reference.findOrganization(party.id);
      return organization ? (spanish ? organization.acronymEs : organization.acronymEn) : party.id;
    },
    changed: async (roundId, what) => {
      pages.forget(roundId);
      await fastify.liveHub.publish({ topic: `round:${roundId}`, type: 'round.changed', payload: { roundId, what } });
    },
    draftsChanged: async (roundId) => {
      pages.forget(roundId);
      await fastify.liveHub.publish(internalEvent(`round:${roundId}`, ROUND_DRAFTS_CHANGED, { roundId }));
    },
  };
}

/** The party a person belongs to, whether or not the round consults it. */
export const ownParty = (viewer: Person) => affiliation(viewer);

import type { AcceptedFile } from '../../plugins/files/index.js';
import type { Role } from '../../shared/roles.js';

/** What other features may use of the document library: `fastify.documents`. Type-only. */

/** Who is reading: the library's rules need the role and the group (null: nobody signed in). */
export interface DocumentReader {
  role: Role;
  groupId: string;
  /** Who reads a restricted document: its audience's countries and organizations (a SessionUser has both). */
  countryId?: string | null;
  organizationId?: string | null;
}

/** A file another feature received (receiveUpload of the files plugin) and hands to the library. */
export interface RestrictedFiling {
  groupId: string;
  actorId: string;
  ip?: string | null;
  file: AcceptedFile;
  /** Country and organization ids whose people may read it, besides the library's publishers. */
  audience: string[];
  now: Date;
}

/** A document as another feature shows it (a meeting's linked documents): its id and both titles. */
export interface DocumentReference {
  id: string;
  title: { es: string; en: string };
}

/** A readable document's versions as another feature reads their files (comment rounds). */
export interface DocumentFiles {
  id: string;
  groupId: string;
  title: { es: string; en: string };
  versions: Array<{ number: number; sha256: string; mime: string; fileName: string; uploadedAt: Date }>;
}

export interface DocumentsService {
  /** The document's versions (newest first) if this reader may read it; undefined otherwise. */
  versionFiles(reader: DocumentReader, id: string): Promise<DocumentFiles | undefined>;
  /** Of these ids, the documents this reader may see (the others are absent), in one call. */
  readable(reader: DocumentReader | null, ids: readonly string[]): Promise<Map<string, DocumentReference>>;
  /**
   * Files an uploaded file in the library as a document titled with the file's name, readable only
   * by the publishers and its audience (a consultation's answer: the country that answered and the
   * organizers). The file is the library's from then on: kept, or discarded if filing fails.
   */
  fileRestricted(filing: RestrictedFiling): Promise<DocumentReference>;
  /**
   * Purges trashed documents past their time, then the files nothing refers to any more. Runs
   * hourly on its own; here for tests and operators.
   */
  purge(now?: Date): Promise<{ documents: number; files: number; temporary: number }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    documents: DocumentsService;
  }
}

/** Its live events and their payloads (declared into LiveEventMap, server/plugins/live/events.ts). */
export type * from './events.js';

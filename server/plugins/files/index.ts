import type { Readable } from 'node:stream';
import fp from 'fastify-plugin';
import { runPeriodically } from '../../shared/periodic.js';
import { AttachmentsRepository } from './attachments.js';
import { FileStore } from './file-store.js';
import { StoredFilesRepository } from './repository.js';
import { TextExtractor } from './text-extraction.js';
import { checkFile, type AcceptedFile, type FileCheck } from './transfers.js';

export type { AttachmentRow } from './attachments.js';
export { receiveUpload, sendStoredFile, uploadRoutes, type AcceptedFile, type FileCheck, type FileRefusal, type StoredFileView } from './transfers.js';

export interface FilesOptions {
  dataDir: string;
  /** Largest file an upload accepts, in bytes (library documents and attachments alike). */
  maxUploadBytes: number;
  /** Files up to this size have their text extracted; 0 turns extraction off. */
  maxTextExtractionBytes: number;
  /** How long a removed attachment stays (as long as the library's trash keeps a document). */
  removedRetentionDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Content an upload relied on within this long is never purged (see storedFiles.lastClaimedAt). */
const CLAIM_GRACE_MS = 60 * 60 * 1000;

/**
 * Uploaded files, for every feature that takes or serves them (the library, post attachments,
 * later minutes and consultations): the content-addressed store under DATA_DIR/files, uploads
 * received and checked (transfers.ts, file-types.ts), downloads with ETag and Range, text
 * extraction in a worker thread, attachments by subject, and the purge of what nothing uses.
 */
export interface Files {
  maxUploadBytes: number;
  store: FileStore;
  attachments: AttachmentsRepository;
  /**
   * A file that did not come as an upload (an attachment of a reply by mail), through the same
   * checks as an upload (name, size limit, type by extension and content); an accepted one waits in
   * the store's temporary folder for the caller to keep or discard.
   */
  check(fileName: string, content: Readable): Promise<FileCheck>;
  /** Records that an upload relies on this content now: call it before `store.keep`. */
  claim(file: { sha256: string; size: number; mime: string }, now: Date): Promise<void>;
  /** The searchable text of an accepted upload ('' for a type without text, one over the size limit, or a failure). */
  extractText(file: AcceptedFile): Promise<string>;
  /** Removes attachments removed long ago, stored files nothing refers to, and uploads cut off by a crash (hourly on its own). */
  purge(now?: Date): Promise<{ attachments: number; files: number; temporary: number }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    files: Files;
  }
}

export default fp<FilesOptions>(
  async (fastify, options) => {
    const repository = await StoredFilesRepository.open(fastify.database);
    const store = new FileStore(options.dataDir);
    // Other processes may share DATA_DIR/files (several instances on a shared mount, or a second
    // process on this machine): only what no live process can still be receiving goes.
    const cutOff = store.removeAbandonedTemporaryFiles(DAY_MS);
    if (cutOff > 0) fastify.log.warn({ files: cutOff }, 'removed uploads cut off when a server stopped');
    const extractor = new TextExtractor((message) => fastify.log.warn({ plugin: 'files' }, message));
    const purge = async (now = new Date()) => {
      // Each file is unlinked inside the unit of work, as its row goes (see repository.purge).
      const removed = await fastify.unitOfWork.run(async () =>
        repository.purge(new Date(now.getTime() - options.removedRetentionDays * DAY_MS), now, CLAIM_GRACE_MS, (sha256) => store.removeSync(sha256)),
      );
      store.markAlive();
      const temporary = store.removeAbandonedTemporaryFiles(DAY_MS, now.getTime());
      if (removed.attachments + removed.files + temporary > 0) fastify.log.info({ ...removed, temporary }, 'files purged');
      return { ...removed, temporary };
    };
    fastify.decorate('files', {
      maxUploadBytes: options.maxUploadBytes,
      store,
      attachments: new AttachmentsRepository(fastify.database, fastify.subjects),
      check: (fileName, content) => checkFile(store, options.maxUploadBytes, fileName, content),
      claim: (file, now) => repository.claim(file, now),
      extractText: async (file) => {
        if (!file.extractor || file.size > options.maxTextExtractionBytes) return '';
        return (await extractor.extract(file.tempPath, file.extractor, file.encoding ?? 'utf-8')) ?? '';
      },
      purge,
    } satisfies Files);
    fastify.addHook('onReady', async () => {
      await purge();
    });
    runPeriodically(fastify, 'files-purge', 60 * 60 * 1000, async () => purge());
    fastify.addHook('onClose', async () => {
      await extractor.stop();
      await store.close();
    });
  },
  { name: 'files', dependencies: ['db', 'subjects'] },
);

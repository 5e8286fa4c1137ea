import { createHash } from 'node:crypto';
import { compressBody, type ContentEncoding } from '../../shared/compression.js';
import type { Viewer } from './repository.js';

/**
 * The matrix's finished answers, per group. Counting 5,000 cases per request cost a p99 of over
 * two seconds at 50 connections; the answer only changes when a case or a release does, and it is
 * the same for every reader of one visibility class (the staff; otherwise the reader's country and
 * agency, whose unpublished cases they see besides the published ones). So each
 * group keeps the stamp its answers were counted at (repository.matrixStamp, read once after each
 * change) and, per visibility class and query, the JSON bytes, their compressed copies and an ETag
 * derived from the stamp. A change to the group's cases (this process's own writes, or another
 * process's read from the live_events log through the cache registry) drops the group's answers.
 */
export interface MatrixAnswer {
  etag: string;
  body: Buffer;
  encoded: Partial<Record<ContentEncoding, Buffer>>;
}

interface GroupAnswers {
  stamp: string;
  answers: Map<string, MatrixAnswer>;
}

/** Enough query variants for every reader class and filter in use; a group over it starts again. */
const MAX_ANSWERS_PER_GROUP = 2_000;

export const visibilityClass = (viewer: Viewer) => (viewer.staff ? 'staff' : `c=${viewer.countryId ?? ''}|a=${viewer.agencyId ?? ''}`);

export class MatrixCache {
  private readonly groups = new Map<string, GroupAnswers | Promise<GroupAnswers>>();

  constructor(private readonly stampOf: (groupId: string) => Promise<string>) {}

  /** The group's cases or releases changed: its answers are forgotten. */
  changed(groupId: string): void {
    this.groups.delete(groupId);
  }

  /** Every group (an event that names none). */
  clear(): void {
    this.groups.clear();
  }

  /**
   * The answer for this reader class and query: remembered, or built by `build` (the cells as JSON)
   * and remembered if the group did not change meanwhile.
   */
  async answer(groupId: string, viewer: Viewer, query: string, build: () => Promise<string>): Promise<MatrixAnswer> {
    const key = `${visibilityClass(viewer)}|${query}`;
    let group = this.groups.get(groupId);
    // The hot path: the group's answers are known and hold this one.
    if (group && !(group instanceof Promise)) {
      const known = group.answers.get(key);
      if (known) return known;
    }
    if (!group) {
      const loading = this.stampOf(groupId).then((stamp) => ({ stamp, answers: new Map<string, MatrixAnswer>() }));
      this.groups.set(groupId, loading);
      group = loading;
    }
    const answers = await group;
    if (this.groups.get(groupId) === group) this.groups.set(groupId, answers);
    const known = answers.answers.get(key);
    if (known) return known;
    const body = Buffer.from(await build());
    const etag = `W/"${createHash('sha1').update(`${groupId}|${answers.stamp}|${key}`).digest('base64url').slice(0, 22)}"`;
    const answer: MatrixAnswer = { etag, body, encoded: {} };
    // Built while the group changed: sent, but not kept (the stamp it would be filed under is old).
    const current = this.groups.get(groupId);
    if (current === answers || current === group) {
      if (answers.answers.size >= MAX_ANSWERS_PER_GROUP) answers.answers.clear();
      answers.answers.set(key, answer);
    }
    return answer;
  }

  /** The body in an encoding the reader accepts, compressed once. */
  static encoded(answer: MatrixAnswer, encoding: ContentEncoding | null): Buffer {
    if (!encoding) return answer.body;
    return (answer.encoded[encoding] ??= compressBody(answer.body, encoding));
  }
}

import type { FastifyInstance } from 'fastify';
import { caseSubject, caseTitle } from './core.js';
import type { DiscrepanciesRepository, LegacyComment } from './repository.js';

/** Comments moved per piece: a case's comments never split across two (its thread opens once). */
const BATCH = 500;

/**
 * A case's discussion was its own table (discrepancy_comments) before it became a debates thread.
 * At start, what is left there moves into the cases' threads through the debates' service, each
 * comment a post with its author and time, and leaves the table in the same piece: all of a case's
 * comments or none. Quiet: no notification, since nothing new was said. Idempotent (an empty table
 * is the steady state).
 */
export async function moveLegacyComments(fastify: FastifyInstance, repository: DiscrepanciesRepository): Promise<number> {
  let moved = 0;
  for (;;) {
    const batch = await repository.legacyComments(BATCH);
    if (batch.length === 0) return moved;
    const byCase = new Map<string, LegacyComment[]>();
    for (const comment of batch) byCase.set(comment.caseId, [...(byCase.get(comment.caseId) ?? []), comment]);
    // The last case of a full batch may go on in the next: left for it, unless it is the only one.
    if (batch.length === BATCH && byCase.size > 1) byCase.delete(batch[batch.length - 1]!.caseId);
    for (const comments of byCase.values()) {
      const first = comments[0]!;
      const row = await repository.findCase(first.groupId, first.caseId);
      if (!row) continue;
      await fastify.unitOfWork.run(async (commit) => {
        for (const comment of comments) {
          await fastify.debates.postInSubjectThreadWithin(commit, {
            subject: caseSubject(row.id),
            groupId: row.groupId,
            title: caseTitle(row, 'es'),
            categorySlug: 'statistical-reconciliation',
            author: { id: comment.authorId, displayName: comment.authorName, countryId: comment.authorCountryId },
            source: comment.body,
            now: comment.createdAt,
            quiet: true,
          });
        }
        await repository.deleteComments(comments.map((comment) => comment.id));
      });
      moved += comments.length;
    }
  }
}

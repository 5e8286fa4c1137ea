import type { DebatesService } from './public.js';
import type { DebatesRepository } from './repository.js';

/** `fastify.debates` over the debates' repository. */
export const debatesService = (repository: DebatesRepository): DebatesService => ({
  threadTitles: (groupId, ids) => repository.threadTitles(groupId, ids),
});

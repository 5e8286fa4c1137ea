import { api } from '../../app/api.js';
import type { InstanceGroup } from '../../app/models.js';

export type { InstanceGroup };

/** A new working group and the e-mail of its first administrator (invited when they have no account). */
export interface NewGroup {
  slug: string;
  name: string;
  description?: string;
  adminEmail: string;
}

/** The instance administrators' routes (GET and POST /api/instance/groups). */
export const instanceApi = {
  groups: (signal?: AbortSignal) => api.get<{ items: InstanceGroup[] }>('/instance/groups', { signal }),
  createGroup: (group: NewGroup) => api.post<InstanceGroup>('/instance/groups', group),
};

import { api } from '../../app/api.js';
import type { Directory, Person, User } from '../../app/models.js';

export interface PendingEmailChange {
  pendingEmail: string;
  expiresAt: string;
}

export const peopleApi = {
  directory: (signal?: AbortSignal) => api.get<Directory>('/directory', { signal }),
  person: (id: string, signal?: AbortSignal) => api.get<{ person: Person }>(`/people/${encodeURIComponent(id)}`, { signal }).then((r) => r.person),
  makeFocalPoint: (id: string) => api.put<{ person: Person }>(`/people/${encodeURIComponent(id)}/delegation`, { delegationRole: 'focal_point' }).then((r) => r.person),
  updateMe: (changes: Partial<Pick<User, 'displayName' | 'locale' | 'timeZone' | 'jobTitle' | 'bio'>>) =>
    api.patch<{ user: User }>('/me', changes).then((r) => r.user),
  changePassword: (currentPassword: string, newPassword: string) => api.post('/auth/password', { currentPassword, newPassword }),
  /** Sends a confirmation link to the new address; the address changes once the link is opened. */
  requestEmailChange: (email: string, currentPassword: string) => api.post<PendingEmailChange>('/auth/email', { email, currentPassword }),
};

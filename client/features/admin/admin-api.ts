import { api } from '../../app/api.js';
import type { AdminUser, Invitation, Page, Role } from '../../app/models.js';

export interface UserQuery {
  q?: string;
  role?: Role | '';
  status?: 'active' | 'deactivated' | '';
  limit: number;
  offset: number;
}

export interface Affiliation {
  countryId: string | null;
  organizationId: string | null;
}

const userPath = (id: string) => `/admin/users/${encodeURIComponent(id)}`;

export const adminApi = {
  users: (query: UserQuery, signal?: AbortSignal) => api.get<Page<AdminUser>>('/admin/users', { query: { ...query }, signal }),
  changeRole: (id: string, role: Role, affiliation: Affiliation) => api.put<{ user: AdminUser }>(`${userPath(id)}/role`, { role, ...affiliation }).then((r) => r.user),
  deactivate: (id: string) => api.post<{ user: AdminUser }>(`${userPath(id)}/deactivate`).then((r) => r.user),
  reactivate: (id: string) => api.post<{ user: AdminUser }>(`${userPath(id)}/reactivate`).then((r) => r.user),
  resetLink: (id: string) => api.post<{ url: string; expiresAt: string }>(`${userPath(id)}/password-reset`),

  invite: (email: string, role: Role, affiliation: Affiliation) =>
    api.post<{ invitation: Invitation; acceptUrl: string }>('/invitations', { email, role, ...affiliation }),
  invitations: (query: { status: 'pending' | 'all'; limit: number; offset: number }, signal?: AbortSignal) =>
    api.get<Page<Invitation>>('/invitations', { query: { ...query }, signal }),
  revoke: (id: string) => api.post<{ invitation: Invitation }>(`/invitations/${encodeURIComponent(id)}/revoke`).then((r) => r.invitation),
};

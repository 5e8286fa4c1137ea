import { api } from '../../app/api.js';
import type { AppNotification } from './kinds.js';

/** The signed-in person's notifications (docs/notifications-api.md). */
export const notificationsApi = {
  list: (cursor: string | null, signal?: AbortSignal) => api.get<{ items: AppNotification[]; nextCursor: string | null }>('/notifications', { query: { cursor, limit: 25 }, signal }),
  unreadCount: (signal?: AbortSignal) => api.get<{ count: number }>('/notifications/unread-count', { signal }).then((r) => r.count),
  read: (body: { ids?: string[]; all?: boolean }) => api.post<{ unreadCount: number }>('/notifications/read', body).then((r) => r.unreadCount),
};

import { api } from '../../app/api.js';
import type { CursorPage } from '../../app/models.js';
import type { AppNotification } from '../../app/notifications.js';

export const notificationsApi = {
  list: (cursor: string | null, signal?: AbortSignal) => api.get<CursorPage<AppNotification>>('/notifications', { query: { cursor, limit: 25 }, signal }),
  unreadCount: (signal?: AbortSignal) => api.get<{ count: number }>('/notifications/unread-count', { signal }).then((r) => r.count),
  read: (body: { ids?: string[]; all?: boolean }) => api.post<{ unreadCount: number }>('/notifications/read', body).then((r) => r.unreadCount),
};

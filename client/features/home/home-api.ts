import type { Static } from 'typebox';
import type { HomeSchema } from '../../../server/features/home/schemas.js';
import { api } from '../../app/api.js';

/** The shapes of GET /api/home (docs/home-api.md); an item leaves out what it has no value for. */
export type Home = Static<typeof HomeSchema>;
export type HomeSection = Home['sections'][number];
export type HomeItem = HomeSection['items'][number];

export const homeApi = {
  home: (signal?: AbortSignal) => api.get<Home>('/home', { signal }),
  /** Marks notifications read (a mention opened from the home page); answers the new unread count. */
  readNotifications: (ids: string[]) => api.post<{ unreadCount: number }>('/notifications/read', { ids }).then((r) => r.unreadCount),
};

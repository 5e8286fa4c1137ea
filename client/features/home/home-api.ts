import { api } from '../../app/api.js';

/** The shapes of GET /api/home (docs/home-api.md). */
export interface HomeItem {
  id: string;
  kind: string;
  path: string;
  title: string;
  titles: { es: string; en: string } | null;
  at: string | null;
  endsAt: string | null;
  timeZone: string | null;
  count: number | null;
  actor: string | null;
  excerpt: string | null;
  number: number | null;
  state: string | null;
}

export interface HomeSection {
  id: string;
  count: number;
  items: HomeItem[];
  seeAllPath: string;
  failed: boolean;
}

export interface Home {
  sections: HomeSection[];
  since: string;
  live: { topics: string[]; events: string[] };
}

export const homeApi = {
  home: (signal?: AbortSignal) => api.get<Home>('/home', { signal }),
  /** Marks notifications read (a mention opened from the home page); answers the new unread count. */
  readNotifications: (ids: string[]) => api.post<{ unreadCount: number }>('/notifications/read', { ids }).then((r) => r.unreadCount),
};

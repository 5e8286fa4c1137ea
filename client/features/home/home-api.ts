import { api } from '../../app/api.js';

/** The shapes of GET /api/home (docs/home-api.md); an item leaves out what it has no value for. */
export interface HomeItem {
  id: string;
  kind: string;
  path: string;
  title: string;
  titles?: { es: string; en: string };
  at?: string;
  endsAt?: string;
  timeZone?: string;
  count?: number;
  actor?: string;
  excerpt?: string;
  number?: number;
  state?: string;
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

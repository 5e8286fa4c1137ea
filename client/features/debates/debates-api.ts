import { api, type UploadOptions } from '../../app/api.js';
import { checkUploadSize } from '../documents/documents-api.js';
import type {
  Attachment,
  Author,
  Category,
  CursorPage,
  IndicatorGoal,
  Mentionable,
  Post,
  Revision,
  SearchQuery,
  SearchResults,
  ThreadDetail,
  ThreadSummary,
  WatchLevel,
} from './models.js';

const id = (value: string) => encodeURIComponent(value);

export interface ThreadQuery {
  categoryId?: string;
  tag?: string;
  indicator?: string;
  cursor?: string | null;
  limit?: number;
}

export const debatesApi = {
  categories: (signal?: AbortSignal) => api.get<{ items: Category[] }>('/categories', { signal }).then((r) => r.items),
  watchCategory: (categoryId: string, level: WatchLevel) => api.put<{ category: Category }>(`/categories/${id(categoryId)}/watch`, { level }).then((r) => r.category),

  threads: (query: ThreadQuery, signal?: AbortSignal) => api.get<CursorPage<ThreadSummary>>('/threads', { query: { ...query }, signal }),
  thread: (threadId: string, signal?: AbortSignal) => api.get<{ thread: ThreadDetail }>(`/threads/${id(threadId)}`, { signal }).then((r) => r.thread),
  startThread: (body: { categoryId: string; title: string; body: string; tags: string[]; indicatorCodes: string[] }) =>
    api.post<{ thread: ThreadDetail; post: Post }>('/threads', body),
  moderate: (threadId: string, action: 'pin' | 'unpin' | 'lock' | 'unlock') => api.post<{ thread: ThreadDetail }>(`/threads/${id(threadId)}/${action}`).then((r) => r.thread),
  move: (threadId: string, categoryId: string) => api.post<{ thread: ThreadDetail }>(`/threads/${id(threadId)}/move`, { categoryId }).then((r) => r.thread),
  watchThread: (threadId: string, level: WatchLevel) => api.put<{ thread: ThreadDetail }>(`/threads/${id(threadId)}/watch`, { level }).then((r) => r.thread),
  markRead: (threadId: string, seq: number) => api.put<{ lastReadSeq: number; unreadCount: number }>(`/threads/${id(threadId)}/read`, { seq }),
  markAllRead: (categoryId?: string) => api.post<{ ok: true }>('/threads/read-all', categoryId ? { categoryId } : {}),

  posts: (threadId: string, query: { view: 'tree' | 'chronological'; cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
    api.get<CursorPage<Post>>(`/threads/${id(threadId)}/posts`, { query: { ...query }, signal }),
  reply: (threadId: string, body: string, parentId: string | null) =>
    api.post<{ post: Post }>(`/threads/${id(threadId)}/posts`, parentId ? { body, parentId } : { body }).then((r) => r.post),
  source: (postId: string) => api.get<{ body: string }>(`/posts/${id(postId)}/source`).then((r) => r.body),
  edit: (postId: string, body: string) => api.patch<{ post: Post }>(`/posts/${id(postId)}`, { body }).then((r) => r.post),
  revisions: (postId: string, signal?: AbortSignal) => api.get<{ items: Revision[] }>(`/posts/${id(postId)}/revisions`, { signal }).then((r) => r.items),
  withdraw: (postId: string) => api.post<{ post: Post }>(`/posts/${id(postId)}/withdraw`).then((r) => r.post),
  hide: (postId: string, reason: string) => api.post<{ post: Post }>(`/posts/${id(postId)}/hide`, { reason }).then((r) => r.post),
  unhide: (postId: string) => api.post<{ post: Post }>(`/posts/${id(postId)}/unhide`).then((r) => r.post),
  agree: (postId: string, agreed: boolean) =>
    (agreed ? api.put : api.delete)<{ agreeCount: number; agreedByMe: boolean }>(`/posts/${id(postId)}/agreement`, {}),
  agreements: (postId: string, signal?: AbortSignal) => api.get<{ items: Author[] }>(`/posts/${id(postId)}/agreements`, { signal }).then((r) => r.items),
  /** Adds one file to the viewer's own post; answers with the post as it now is. */
  attachToPost: async (postId: string, file: File, options?: UploadOptions) => {
    await checkUploadSize(file);
    const form = new FormData();
    form.append('file', file, file.name);
    return api.upload<{ attachment: Attachment; post: Post }>(`/posts/${id(postId)}/attachments`, form, options);
  },
  removeAttachment: (attachmentId: string) => api.delete<null>(`/attachments/${id(attachmentId)}`),

  preview: (body: string, signal?: AbortSignal) => api.post<{ html: string }>('/markdown/preview', { body }, { signal }).then((r) => r.html),
  indicators: (signal?: AbortSignal) => api.get<{ goals: IndicatorGoal[] }>('/indicators', { signal }).then((r) => r.goals),
  mentionable: (q: string, signal?: AbortSignal) => api.get<Mentionable>('/mentionable', { query: { q }, signal }),
  search: (query: SearchQuery, signal?: AbortSignal) => api.get<SearchResults>('/search', { query: { ...query }, signal }),

};

/**
 * Where a post attachment's file is served: a plain link, as for library documents (see
 * documents-api.ts downloadHref), so give it the `download` attribute or a target, or the
 * app's router takes the click for an in-app page.
 */
export function attachmentHref(attachmentId: string, options: { attachment?: boolean } = {}): string {
  return `/api/attachments/${id(attachmentId)}/download${options.attachment ? '?disposition=attachment' : ''}`;
}

/** Debates for a link picker: those whose posts match `q` (one entry per debate), else the most recent. */
export async function findThreads(q: string, signal: AbortSignal): Promise<Array<{ id: string; title: string }>> {
  if (!q) {
    const page = await debatesApi.threads({ limit: 15 }, signal);
    return page.items.map((thread) => ({ id: thread.id, title: thread.title }));
  }
  const page = await debatesApi.search({ q, limit: 20 }, signal);
  const seen = new Map<string, { id: string; title: string }>();
  for (const hit of page.items) if (!seen.has(hit.threadId)) seen.set(hit.threadId, { id: hit.threadId, title: hit.threadTitle });
  return [...seen.values()];
}

import { api } from '../../app/api.js';

/** The shapes of docs/mail-api.md (the mail plugin's routes declare them in TypeBox inline). */
export type Delivery = 'immediately' | 'digest' | 'never';
export interface MailPreferences {
  digestHour: number;
  timeZone: string;
  kinds: Array<{ kind: string; label: string; delivery: Delivery; defaultDelivery: Delivery; digest: boolean }>;
}
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'expired';
export interface OutboxItem {
  id: string;
  kind: string;
  to: { address: string; name: string };
  subject: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}
export interface OutboxPage {
  items: OutboxItem[];
  total: number;
  counts: Record<OutboxStatus, number>;
  sending: boolean;
}
export type OutboxDetail = OutboxItem & { text: string };

export const mailApi = {
  preferences: (signal?: AbortSignal) => api.get<MailPreferences>('/mail/preferences', { signal }),
  savePreferences: (change: { digestHour?: number; kinds?: Record<string, Delivery> }) => api.put<MailPreferences>('/mail/preferences', change),
  outbox: (status: string, offset: number, signal?: AbortSignal) =>
    api.get<OutboxPage>(`/admin/mail/outbox?limit=50&offset=${offset}${status ? `&status=${encodeURIComponent(status)}` : ''}`, { signal }),
  message: (id: string) => api.get<OutboxDetail>(`/admin/mail/outbox/${encodeURIComponent(id)}`),
  retry: (id: string) => api.post<OutboxItem>(`/admin/mail/outbox/${encodeURIComponent(id)}/retry`, {}),
  retryFailed: () => api.post<{ retried: number }>('/admin/mail/outbox/retry-failed', {}),
};

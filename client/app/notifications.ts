/**
 * An in-app notification as the API answers it (GET /api/notifications, docs/debates-api.md).
 * Here, in the shell, because the shell's bell and the notifications page show them, and because
 * every feature that notifies will register how its kinds read here.
 */
export type NotificationKind =
  | 'reply'
  | 'mention'
  | 'country_mention'
  | 'new_thread'
  | 'new_post'
  | 'document'
  | 'meeting_invited'
  | 'meeting_poll'
  | 'meeting_poll_reminder'
  | 'meeting_poll_deadline'
  | 'meeting_scheduled'
  | 'meeting_changed'
  | 'meeting_cancelled'
  | 'meeting_reminder'
  | 'meeting_minutes';

export interface AppNotification {
  id: string;
  kind: NotificationKind;
  createdAt: string;
  readAt: string | null;
  actor: { id: string; displayName: string } | null;
  threadId: string | null;
  threadTitle: string | null;
  postId: string | null;
  excerpt: string;
  /** Only for `document`: a library document was published to the group. */
  documentId?: string | null;
  documentTitle?: string | null;
  /** Only for the `meeting_*` kinds (docs/meetings-api.md, "Notifications"). */
  meetingId?: string | null;
  meetingTitle?: string | null;
  meetingDetails?: {
    startsAt?: string;
    previousStartsAt?: string;
    occurrenceId?: string;
    changed?: string[];
    reminder?: '24h' | '1h';
    deadline?: string;
  } | null;
}

/** Sent on window by a page that marked notifications read (the notifications page, a mention opened from the home page), with the new count. */
export const UNREAD_CHANGED = 'cn-notifications-unread';

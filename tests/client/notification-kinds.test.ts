import { describe, expect, it } from 'vitest';
import { notificationHref, notificationText, onNotificationKindsChanged, registerNotificationKind, type AppNotification } from '../../client/features/notifications/kinds.js';

/**
 * The client's notification registry and the renderers the features register: the bell and the
 * list know no feature, each kind reads and links as its feature says (English source strings).
 */

const notice = (overrides: Partial<AppNotification>): AppNotification => ({
  id: 'n1',
  kind: 'reply',
  createdAt: '2026-05-01T12:00:00.000Z',
  readAt: null,
  actor: { id: 'u1', displayName: 'Mara Member' },
  subject: { kind: 'thread', id: 't1', title: 'Encuesta', available: true },
  details: {},
  excerpt: '',
  ...overrides,
});

describe('the notification registry', () => {
  it('names the subject of a kind nobody registered, refuses a kind registered twice, and tells listeners of new kinds', async () => {
    const unknown = notice({ kind: 'survey_opened', subject: { kind: 'survey', id: 's1', title: 'Encuesta 2027', available: true } });
    expect(notificationText(unknown)).toBe('Encuesta 2027');
    expect(notificationHref(unknown)).toBeNull();
    let told = 0;
    const stop = onNotificationKindsChanged(() => (told += 1));
    registerNotificationKind('survey_opened', { text: (n) => `Survey "${n.subject.title}" opened`, href: (n) => `/surveys/${n.subject.id}` });
    stop();
    registerNotificationKind('survey_closed', { text: () => 'closed', href: () => null });
    expect(told).toBe(1);
    expect([notificationText(unknown), notificationHref(unknown)]).toEqual(['Survey "Encuesta 2027" opened', '/surveys/s1']);
    expect(() => registerNotificationKind('survey_opened', { text: () => '', href: () => null })).toThrow(/twice/);
  });

  it("shows the debates', the library's and the meetings' kinds from the subject and details", async () => {
    await import('../../client/features/debates/notification-kinds.js');
    await import('../../client/features/documents/notification-kinds.js');
    await import('../../client/features/meetings/notification-kinds.js');
    const reply = notice({ details: { postId: 'p9' } });
    expect([notificationText(reply), notificationHref(reply)]).toEqual(['Mara Member replied to you in "Encuesta".', '/debates/t/t1#post-p9']);
    expect(notificationHref(notice({ kind: 'new_thread' }))).toBe('/debates/t/t1');
    const document = notice({ kind: 'document', subject: { kind: 'document', id: 'd1', title: 'Informe anual', available: true } });
    expect([notificationText(document), notificationHref(document)]).toEqual(['Mara Member published "Informe anual" in the library.', '/documents/d1']);
    const minutes = notice({ kind: 'meeting_minutes', subject: { kind: 'meeting', id: 'm1', title: 'Coordinación', available: true }, details: { occurrenceId: 'single' } });
    expect([notificationText(minutes), notificationHref(minutes)]).toEqual(['Mara Member published the minutes of "Coordinación".', '/meetings/m1/minutes']);
    const cancelled = notice({ kind: 'meeting_cancelled', subject: { kind: 'meeting', id: 'm1', title: 'Coordinación', available: true }, details: { occurrenceId: '2026-06-09' } });
    expect(notificationHref(cancelled)).toBe('/meetings/m1?occurrence=2026-06-09');
    // What the reader may no longer read: the server withheld the title; the line says so and leads nowhere.
    const withheld = notice({ kind: 'document', subject: { kind: 'document', id: 'd1', title: '', available: false } });
    expect([notificationText(withheld), notificationHref(withheld)]).toEqual(['Something you can no longer see (it was moved, unpublished or removed).', null]);
    const changed = notice({ kind: 'meeting_changed', actor: null, subject: { kind: 'meeting', id: 'm1', title: 'Coordinación', available: true }, details: { changed: ['title', 'agenda'] } });
    expect(notificationText(changed)).toBe('Someone changed "Coordinación": Title, Agenda.');
  });
});

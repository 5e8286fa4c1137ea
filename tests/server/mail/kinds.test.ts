import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAILED_MEETING_NOTICES } from '../../../server/features/meetings/mail.js';
import { LOCALES } from '../../../server/shared/roles.js';
import { type TestApp } from '../../helper.js';
import { buildMailApp } from './support.js';

/**
 * The kinds of notification the issue names, and the notification kinds of the features that
 * make them. Each is proven sent once in the recipient's language by the test named beside it.
 */
export const ISSUE_KINDS: Record<string, { kinds: string[]; provenBy: string }> = {
  mention: { kinds: ['mention'], provenBy: 'mail/feature-kinds.test.ts (at once), mail/notifications.test.ts (digest)' },
  reply: { kinds: ['reply'], provenBy: 'mail/notifications.test.ts' },
  'country mention': { kinds: ['country_mention'], provenBy: 'mail/kind-delivery.test.ts' },
  'new thread in a watched category': { kinds: ['new_thread'], provenBy: 'mail/kind-delivery.test.ts' },
  'meeting invitation and change': { kinds: ['meeting_invited', 'meeting_scheduled', 'meeting_changed', 'meeting_cancelled', 'meeting_reminder'], provenBy: 'mail/meetings.test.ts (invited, cancelled), mail/feature-kinds.test.ts (scheduled, changed, reminder)' },
  'poll and its deadline': { kinds: ['meeting_poll', 'meeting_poll_reminder', 'meeting_poll_deadline'], provenBy: 'mail/feature-kinds.test.ts' },
  'new document version': { kinds: ['document'], provenBy: 'mail/kind-delivery.test.ts' },
  'consultation opened / due / query': { kinds: ['consultation_opened', 'consultation_reminder', 'consultation_query', 'consultation_reply'], provenBy: 'mail/kind-delivery.test.ts (opened), mail/feature-kinds.test.ts (reminder, query, reply)' },
  'discrepancy case change': { kinds: ['discrepancy_status'], provenBy: 'mail/feature-kinds.test.ts' },
};

/** Kinds whose feature sends the mail itself: meeting notices with their calendar part, consultation reminders with the deadline in the recipient's zone. */
const MAILED_BY_FEATURE = [...MAILED_MEETING_NOTICES, 'consultation_reminder'];

let t: TestApp;

beforeAll(async () => {
  t = await buildMailApp({});
  await t.app.ready();
});

afterAll(async () => {
  await t.close();
});

describe('notification kinds by e-mail', () => {
  it('defines every kind the issue names', () => {
    const defined = new Set(t.app.notifications.kindNames());
    for (const [name, { kinds }] of Object.entries(ISSUE_KINDS)) for (const kind of kinds) expect(defined.has(kind), `${name}: ${kind}`).toBe(true);
  });

  it('mails every notification kind (or its feature does, with a calendar part), labelled in each of the four languages', () => {
    for (const kind of t.app.notifications.kindNames()) {
      if (MAILED_BY_FEATURE.includes(kind)) {
        expect(t.app.mail.notificationKind(kind), kind).toBeNull();
        continue;
      }
      const definition = t.app.mail.notificationKind(kind);
      expect(definition, kind).not.toBeNull();
      const labels = LOCALES.map((locale) => definition!.label[locale]);
      // Not the fallback made of the kind's name ("Notificaciones: consultation opened"): a real label, in each language.
      for (const label of labels) expect(label, kind).not.toMatch(new RegExp(`: ${kind.replaceAll('_', ' ')}$`));
      expect(new Set(labels).size, `${kind}: ${labels.join(' | ')}`).toBe(LOCALES.length);
    }
  });
});

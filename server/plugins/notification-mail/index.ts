import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { nextTurn, runPeriodically } from '../../shared/periodic.js';
import type { Role } from '../../shared/roles.js';
import type { PendingCommit } from '../group-commit.js';
import { DEFAULT_DIGEST_HOUR, defineTexts, plural, type Delivery, type LocalizedText, type MailBlock } from '../mail/index.js';
import type { NewNotification } from '../notifications/index.js';
import { contentLocaleOf, refKey, type SubjectSummary } from '../subjects/index.js';
import { NoticeMailRepository, type DueNotice } from './repository.js';

/**
 * Notifications by e-mail. Every notification kind a feature defines (fastify.notifications
 * .defineKind) is also a kind of mail people choose about (at once, in a daily digest at their
 * hour in their zone, or never), with no code here: a feature may describe its kinds (a label in
 * four languages, defaults per role) and must say which it mails itself (meetings, with their
 * calendar part). A channel of the notifications stores a notice to mail in the notification's
 * own commit; a worker mails it when due, unless the person has read it in the forum meanwhile or
 * may no longer read its subject, and deletes the notice in the commit that queues the mail.
 */
export interface NoticeMailKind {
  label?: LocalizedText;
  defaultFor?: (role: Role) => Delivery;
  /** False for kinds that must come alone (default true). */
  digest?: boolean;
  /** The feature sends this kind's mail itself (a meeting invitation with its calendar part): no mail here. */
  mailedByFeature?: boolean;
}

/** How long an "immediately" notice waits: read in the forum by then, it is not mailed. */
const IMMEDIATE_DELAY_MS = 60_000;
const TICK_MS = 30_000;
const BATCH = 200;

/**
 * Defaults: what is addressed to the person (replies, mentions) and their meetings at once, news
 * of the group (new threads and posts, documents) in the digest; observers, who follow rather than
 * take part, get everything in the digest but mentions of themselves.
 */
const PERSONAL = new Set(['reply', 'mention', 'country_mention']);
function defaultDelivery(kind: string): (role: Role) => Delivery {
  return (role) => {
    if (kind === 'mention') return 'immediately';
    if (role === 'observer') return 'digest';
    return PERSONAL.has(kind) || kind.startsWith('meeting_') ? 'immediately' : 'digest';
  };
}

const texts = defineTexts({
  en: {
    fallbackLabel: (kind: string) => `Notifications: ${kind.replaceAll('_', ' ')}`,
    by: (actor: string, what: string) => `${actor} · ${what}`,
    open: 'Open in Concilia',
    digestSubject: (count: number) => plural('en', count, { one: 'Concilia: # new notification today', other: 'Concilia: # new notifications today' }),
    digestIntro: 'What happened in Concilia since your last summary, and you have not read yet:',
  },
  es: {
    fallbackLabel: (kind: string) => `Notificaciones: ${kind.replaceAll('_', ' ')}`,
    by: (actor: string, what: string) => `${actor} · ${what}`,
    open: 'Abrir en Concilia',
    digestSubject: (count: number) => plural('es', count, { one: 'Concilia: # notificación nueva hoy', other: 'Concilia: # notificaciones nuevas hoy' }),
    digestIntro: 'Lo que pasó en Concilia desde su último resumen y que aún no ha leído:',
  },
  pt: {
    fallbackLabel: (kind: string) => `Notificações: ${kind.replaceAll('_', ' ')}`,
    by: (actor: string, what: string) => `${actor} · ${what}`,
    open: 'Abrir no Concilia',
    digestSubject: (count: number) => plural('pt', count, { one: 'Concilia: # nova notificação hoje', other: 'Concilia: # novas notificações hoje' }),
    digestIntro: 'O que aconteceu no Concilia desde o seu último resumo e que você ainda não leu:',
  },
  fr: {
    fallbackLabel: (kind: string) => `Notifications : ${kind.replaceAll('_', ' ')}`,
    by: (actor: string, what: string) => `${actor} · ${what}`,
    open: 'Ouvrir dans Concilia',
    digestSubject: (count: number) => plural('fr', count, { one: 'Concilia : # nouvelle notification aujourd’hui', other: 'Concilia : # nouvelles notifications aujourd’hui' }),
    digestIntro: 'Ce qui s’est passé dans Concilia depuis votre dernier résumé et que vous n’avez pas encore lu :',
  },
});

/** The date and hour now in a zone (the digest goes out once a day, from the person's hour on). */
function localNow(now: Date, timeZone: string): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

export class NoticeMail {
  private readonly described = new Map<string, NoticeMailKind>();
  private running: Promise<{ mailed: number; digests: number }> | null = null;
  /** Set when the app closes: a run stops between two mails, before the database closes. */
  private stopped = false;

  constructor(
    private readonly fastify: FastifyInstance,
    readonly repository: NoticeMailRepository,
    private readonly publicUrl: string,
  ) {}

  /** What a feature says of the mail of one of its notification kinds; call while the app loads. */
  describe(kind: string, definition: NoticeMailKind): void {
    if (this.described.has(kind)) throw new Error(`The mail of notification kind "${kind}" is described twice`);
    this.described.set(kind, definition);
  }

  /** Defines a mail kind for every notification kind not mailed by its feature (once every feature has loaded). */
  defineMailKinds(): void {
    for (const kind of this.fastify.notifications.kindNames()) {
      const definition = this.described.get(kind) ?? {};
      if (definition.mailedByFeature) continue;
      const label = definition.label ?? { en: texts('en').fallbackLabel(kind), es: texts('es').fallbackLabel(kind), pt: texts('pt').fallbackLabel(kind), fr: texts('fr').fallbackLabel(kind) };
      this.fastify.mail.defineKind(kind, { label, defaultFor: definition.defaultFor ?? defaultDelivery(kind), digest: definition.digest !== false });
    }
  }

  private mailed(kind: string): boolean {
    return this.fastify.mail.notificationKind(kind) !== null && !this.described.get(kind)?.mailedByFeature;
  }

  /** The notifications channel: a notice to mail per notification, in the notification's unit of work. */
  async deliverWithin(_commit: PendingCommit, items: NewNotification[], now: Date): Promise<void> {
    for (const item of items) {
      if (!this.mailed(item.kind)) continue;
      const delivery = await this.fastify.mail.deliveryOf(item.userId, item.kind);
      if (delivery === 'never') continue;
      const id = await this.repository.notificationIdOf(item.userId, item.kind, item.subject, now.getTime());
      if (!id) continue;
      await this.repository.insert(id, item.userId, delivery, delivery === 'immediately' ? now.getTime() + IMMEDIATE_DELAY_MS : now.getTime());
    }
  }

  /** Lets a run in progress finish the mail it is on and stop; what is left is mailed at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  /** Mails what is due at `now`; one run at a time (the timer's and a test's share it). */
  runDue(now = new Date()): Promise<{ mailed: number; digests: number }> {
    this.running ??= this.run(now).finally(() => (this.running = null));
    return this.running;
  }

  private async run(now: Date): Promise<{ mailed: number; digests: number }> {
    let mailed = 0;
    let digests = 0;
    // One mail per turn of the event loop (see nextTurn): a backlog (a server started after a busy
    // day) was otherwise mailed in one turn, and no request was read for seconds.
    for (;;) {
      const due = await this.repository.dueImmediate(now.getTime(), BATCH);
      if (due.length === 0) break;
      for (const notice of due) {
        if (await this.mailOne(notice)) mailed += 1;
        await nextTurn();
        if (this.stopped) return { mailed, digests };
      }
      if (due.length < BATCH) break;
    }
    for (const userId of await this.repository.digestUsers(now.getTime())) {
      if (await this.digestFor(userId, now)) digests += 1;
      await nextTurn();
      if (this.stopped) break;
    }
    return { mailed, digests };
  }

  /**
   * The subjects of these notices the person may still read, in whichever of their groups each
   * belongs to, described in their content language, each with the address of its page: a subject
   * of another group than the person's first opens under that group's address (/g/<slug>/...).
   */
  private async readable(userId: string, notices: DueNotice[]): Promise<Map<string, SubjectSummary & { url: string }> | null> {
    const memberships = await this.fastify.sessions.membershipsOfPerson(userId);
    const first = memberships[0];
    if (!first) return null;
    const refs = notices.filter((notice) => notice.subjectKind && this.fastify.subjects.has(notice.subjectKind)).map((notice) => ({ kind: notice.subjectKind!, id: notice.subjectId! }));
    const found = await this.fastify.subjects.describeAcross(memberships, refs, contentLocaleOf(first.locale));
    return new Map(
      [...found].map(([key, { summary, reader }]) => [key, { ...summary, url: `${this.publicUrl}${reader === first ? '' : `/g/${reader.groupSlug}`}${summary.href}` }]),
    );
  }


  private async mailOne(notice: DueNotice): Promise<boolean> {
    const summaries = notice.kind && notice.readAt === null ? await this.readable(notice.userId, [notice]) : null;
    const summary = summaries?.get(refKey({ kind: notice.subjectKind ?? '', id: notice.subjectId ?? '' }));
    const { mail } = this.fastify;
    return this.fastify.unitOfWork.run(async (commit) => {
      // Mailed meanwhile by another server on the same database: not again.
      if (!(await this.repository.claim(notice.notificationId))) return false;
      // Read in the forum meanwhile, gone, or no longer readable by them: nothing to mail.
      if (!summary || !notice.kind || !this.mailed(notice.kind)) return false;
      const about = { kind: summary.kind, id: summary.id };
      const replyable = mail.replyHandler(summary.kind) !== null;
      const kind = notice.kind;
      const queued = await mail.enqueueWithin(commit, {
        kind,
        to: { userId: notice.userId },
        about,
        replyable,
        content: (recipient) => {
          const t = texts(recipient.locale);
          const label = mail.notificationKind(kind)!.label[recipient.locale];
          return {
            subject: replyable ? `Re: ${summary.title}` : `${label}: ${summary.title}`,
            blocks: [{ heading: summary.title }, { text: notice.actorName ? t.by(notice.actorName, label) : label }, ...excerptBlock(notice), { action: { label: t.open, url: summary.url } }],
          };
        },
      });
      return queued !== null;
    });
  }

  /** The person's digest, if their hour has come today in their zone and it has not gone out yet; skipped (no mail) when nothing is unread. */
  private async digestFor(userId: string, now: Date): Promise<boolean> {
    const person = await this.fastify.mail.repository.person(userId);
    const timeZone = person?.timeZone ?? 'America/Santiago';
    const local = localNow(now, timeZone);
    const hour = (await this.fastify.mail.repository.digestHourOf(userId)) ?? DEFAULT_DIGEST_HOUR;
    if (person && (local.hour < hour || (await this.repository.lastDigest(userId)) === local.date)) return false;
    const notices = await this.repository.digestOf(userId, now.getTime());
    const unread = notices.filter((notice) => notice.kind && notice.readAt === null && this.mailed(notice.kind));
    const summaries = person && unread.length > 0 ? await this.readable(userId, unread) : null;
    const items = unread.flatMap((notice) => {
      const summary = summaries?.get(refKey({ kind: notice.subjectKind!, id: notice.subjectId! }));
      return summary ? [{ notice, summary }] : [];
    });
    const { mail } = this.fastify;
    return this.fastify.unitOfWork.run(async (commit) => {
      // Another server on the same database sent today's digest since this one looked: what is
      // left waits for tomorrow's. The day is taken by a conditional write, not read then written,
      // since on PostgreSQL both servers' writes may run at once.
      if (person && !(await this.repository.claimDay(userId, local.date))) return false;
      const claimed = new Set<string>();
      for (const notice of notices) if (await this.repository.claim(notice.notificationId)) claimed.add(notice.notificationId);
      if (!person) return false;
      const mailed = items.filter((item) => claimed.has(item.notice.notificationId));
      // A day with nothing new (or all of it read in the forum) sends nothing.
      if (mailed.length === 0) return false;
      const queued = await mail.enqueueWithin(commit, {
        kind: DIGEST_KIND,
        to: { userId },
        content: (recipient) => {
          const t = texts(recipient.locale);
          const blocks: MailBlock[] = [{ text: t.digestIntro }];
          // Grouped by kind, in the order the kinds were defined; within a kind, oldest first.
          const order = mail.notificationKinds().map(([name]) => name);
          const kinds = [...new Set(mailed.map((item) => item.notice.kind!))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
          for (const kind of kinds) {
            blocks.push({ heading: mail.notificationKind(kind)!.label[recipient.locale] });
            for (const { notice, summary } of mailed.filter((item) => item.notice.kind === kind)) {
              blocks.push({ text: notice.actorName ? `${summary.title} (${notice.actorName})` : summary.title }, ...excerptBlock(notice), { action: { label: t.open, url: summary.url } });
            }
          }
          return { subject: t.digestSubject(mailed.length), blocks };
        },
      });
      return queued !== null;
    });
  }
}

const excerptBlock = (notice: DueNotice): MailBlock[] => (notice.excerpt ? [{ text: notice.excerpt }] : []);

/** The daily summary: account-like (one per day, whatever it holds), so it has no unsubscribe of its own; each kind in it is chosen in the preferences. */
export const DIGEST_KIND = 'notifications.digest';

declare module 'fastify' {
  interface FastifyInstance {
    /** Notifications by e-mail: features describe their kinds' mail here. */
    noticeMail: NoticeMail;
  }
}

export default fp<{ publicUrl: string }>(
  async (fastify, options) => {
    const service = new NoticeMail(fastify, new NoticeMailRepository(fastify.database), options.publicUrl);
    fastify.decorate('noticeMail', service);
    fastify.mail.defineKind(DIGEST_KIND, { transactional: true });
    fastify.notifications.addChannel({
      name: 'e-mail',
      deliver: (items, now) => fastify.unitOfWork.run((commit) => service.deliverWithin(commit, items, now)),
      deliverWithin: (commit, items, now) => service.deliverWithin(commit, items, now),
    });
    // Every feature has defined its notification kinds by now.
    fastify.addHook('onReady', async () => service.defineMailKinds());
    runPeriodically(fastify, 'mail due notifications', TICK_MS, () => service.runDue());
    // Registered after the db plugin: onClose hooks run in reverse, so a run stops before the database closes.
    fastify.addHook('onClose', async () => service.stop());
  },
  { name: 'notice-mail', dependencies: ['db', 'mail', 'notifications', 'subjects'] },
);

import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { formatDateTime, formatNumber } from '../../app/format.js';
import { pickContent } from '../../app/i18n.js';
import type { Country } from '../../app/models.js';
import { formatWhen } from '../../app/page-format.js';
import { byCount, formatSpan, sameWallClock, zonePlace } from './home-format.js';
import type { HomeItem } from './home-api.js';
import { meetingKindLabel } from '../meetings/public.js';

/** What an item's line needs besides the item: the reader's zone and the countries (for place names). */
export interface ItemContext {
  zone: string;
  countries: readonly Country[];
}

/** How the page words one section (docs/home-api.md lists them). A section the server adds later is worded here. */
export interface SectionWording {
  heading(): string;
  /** The count, said in full (for the badge's accessible name). */
  countLabel(count: number): string;
  empty(): string;
  seeAll(): string;
  /** The link's text. */
  title(item: HomeItem): string;
  /** What the line says under the link. */
  details(item: HomeItem, context: ItemContext): TemplateResult | typeof nothing;
}

const when = (item: HomeItem, context: ItemContext) =>
  item.at ? html`<time datetime=${item.at} title=${formatDateTime(item.at, context.zone)}>${formatWhen(item.at, context.zone)}</time>` : nothing;

/** A meeting's time in the reader's zone, and in the organizer's when the clocks differ. */
function meetingTimes(item: HomeItem, context: ItemContext) {
  if (!item.at) return nothing;
  const mine = formatSpan(item.at, item.endsAt, context.zone);
  const organizer = item.timeZone && !sameWallClock(item.at, context.zone, item.timeZone) ? formatSpan(item.at, item.endsAt, item.timeZone) : null;
  const place = item.timeZone ? zonePlace(item.timeZone, context.countries) : '';
  return html`<span class="time"><time datetime=${item.at}>${mine}</time> ${msg('(your time)')}</span>${organizer
      ? html`<span class="time other-zone">${msg(str`${organizer} in ${place}, the organizer's time`)}</span>`
      : nothing}`;
}


function attendance(state: string | undefined): string {
  switch (state) {
    case 'going':
      return msg('Going');
    case 'maybe':
      return msg('Maybe');
    case 'not_going':
      return msg('Not going');
    default:
      return msg('Not answered yet');
  }
}

export const SECTIONS: Record<string, SectionWording> = {
  'debates.unread': {
    heading: () => msg('Unread debates'),
    countLabel: (count) => byCount(count, () => msg(str`${formatNumber(count)} debate with unread posts`), () => msg(str`${formatNumber(count)} debates with unread posts`)),
    empty: () => msg('You are up to date with every debate.'),
    seeAll: () => msg('All debates'),
    title: (item) => item.title,
    details: (item, context) => html`<span class="badge">${byCount(item.count ?? 0, () => msg(str`${formatNumber(item.count ?? 0)} unread post`), () => msg(str`${formatNumber(item.count ?? 0)} unread posts`))}</span>
      ${when(item, context)}`,
  },
  'debates.mentions': {
    heading: () => msg('Mentions and replies'),
    countLabel: (count) => byCount(count, () => msg(str`${formatNumber(count)} unread mention or reply`), () => msg(str`${formatNumber(count)} unread mentions and replies`)),
    empty: () => msg('Nothing waits for you: no unread mentions or replies.'),
    seeAll: () => msg('All notifications'),
    // The same sentences as the notifications (notification-text.ts), so they read alike.
    title: (item) => {
      const who = item.actor ?? msg('Someone');
      const title = item.title || msg('a debate');
      if (item.kind === 'mention') return msg(str`${who} mentioned you in "${title}".`);
      if (item.kind === 'country_mention') return msg(str`${who} mentioned your country in "${title}".`);
      return msg(str`${who} replied to you in "${title}".`);
    },
    details: (item, context) => html`${item.excerpt ? html`<span class="excerpt">${item.excerpt}</span>` : nothing}${when(item, context)}`,
  },
  'meetings.to-answer': {
    heading: () => msg('Waiting for your answer'),
    countLabel: (count) => byCount(count, () => msg(str`${formatNumber(count)} meeting waiting for your answer`), () => msg(str`${formatNumber(count)} meetings waiting for your answer`)),
    empty: () => msg('Nothing waits for you: every poll and invitation is answered.'),
    seeAll: () => msg('My meetings'),
    title: (item) => item.title,
    details: (item, context) => {
      if (item.kind === 'poll') {
        return html`<span class="badge">${msg('Availability poll')}</span>
          <span>${item.at ? msg(str`Answer by ${formatSpan(item.at, null, context.zone)}`) : msg('Say when you can attend')}</span>`;
      }
      return html`<span class="badge">${msg('Will you attend?')}</span> ${meetingTimes(item, context)}`;
    },
  },
  'meetings.upcoming': {
    heading: () => msg('Meetings in the next two weeks'),
    countLabel: (count) => byCount(count, () => msg(str`${formatNumber(count)} meeting in the next two weeks`), () => msg(str`${formatNumber(count)} meetings in the next two weeks`)),
    empty: () => msg('No meetings in the next two weeks.'),
    seeAll: () => msg('All meetings'),
    title: (item) => item.title,
    details: (item, context) => html`${meetingTimes(item, context)}
      <span class="tags"><span class="badge badge-muted">${meetingKindLabel(item.kind)}</span>
      <span class="badge ${item.state === 'going' ? '' : 'badge-muted'}">${attendance(item.state)}</span></span>`,
  },
  'consultations.waiting': {
    heading: () => msg('Waiting for my country'),
    countLabel: (count) => byCount(count, () => msg(str`${formatNumber(count)} consultation waiting for my country’s answer`), () => msg(str`${formatNumber(count)} consultations waiting for my country’s answer`)),
    empty: () => msg('Your country has answered every open consultation.'),
    seeAll: () => msg('All consultations'),
    title: (item) => (item.titles ? pickContent(item.titles.es, item.titles.en) : item.title),
    details: (item, context) => {
      const status =
        item.state === 'draft'
          ? msg('Draft', { id: 'consultations.draft', desc: 'Status of a country’s answer to a consultation: being written' })
          : item.state === 'extended'
            ? msg('Extended')
            : msg('Not started');
      return html`<span class="badge">${status}</span>${item.at ? html`<span>${msg(str`Answer by ${formatSpan(item.at, null, context.zone)}`)}</span>` : nothing}`;
    },
  },
  'documents.new': {
    heading: () => msg('New in the library'),
    countLabel: (count) => byCount(count, () => msg(str`${formatNumber(count)} document new since your last visit`), () => msg(str`${formatNumber(count)} documents new since your last visit`)),
    empty: () => msg('Nothing new in the library since your last visit.'),
    seeAll: () => msg('The library'),
    title: (item) => (item.titles ? pickContent(item.titles.es, item.titles.en) : item.title),
    details: (item, context) => {
      const what = item.kind === 'document' ? msg('New document') : msg(str`Version ${formatNumber(item.number ?? 0)}`);
      return html`<span class="badge">${what}</span>${item.actor ? html`<span>${msg(str`by ${item.actor}`)}</span>` : nothing}${when(item, context)}`;
    },
  },
};

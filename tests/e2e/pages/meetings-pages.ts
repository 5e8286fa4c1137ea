import type { Locator } from 'playwright-core';
import { AppShell } from './app-shell.js';

/** The meetings' interface words (English), found by accessible name. */
export const MEETINGS_UI = {
  newMeeting: 'New meeting',
  title: 'Title',
  byPoll: 'Invitees choose among proposed times (availability poll)',
  optionDate: (n: number) => `Date of option ${n}`,
  optionStart: (n: number) => `Start of option ${n}`,
  optionEnd: (n: number) => `End of option ${n}`,
  addAgendaItem: 'Add an agenda item',
  agendaTitle: (n: number) => `Title of item ${n}`,
  onlineLink: 'Online link (optional)',
  chosenInvitees: 'Chosen countries, organizations and people',
  countries: 'Countries',
  createPoll: 'Create and open the poll',
  pollsNav: 'Date polls',
  option: (n: number) => `Option ${n}`,
  saveAvailability: 'Save my availability',
  chooseTime: /^Choose /,
  chooseDialog: 'Choose this date?',
  schedule: 'Schedule the meeting at this time',
  useZone: /^Use /,
  yourMessage: 'Your message',
  send: 'Send',
  startFirstItem: 'Start the first item',
  nextItem: 'Next item',
  writeMinutes: 'Write the minutes',
  summaryOf: (section: string) => `Summary of ${section}`,
  decisionsOn: (section: string) => `Decisions on ${section}`,
  addActionItem: 'Add an action item',
  action: (n: number) => `Action ${n}`,
  responsible: 'Responsible',
  publishMinutes: 'Publish the minutes',
  publish: 'Publish',
  readMinutes: 'Read the minutes',
  publishedMinutes: 'Published minutes',
} as const;

/** The form that creates a meeting, here with an availability poll. */
export class MeetingFormPage extends AppShell {
  readonly m = MEETINGS_UI;

  async open(): Promise<void> {
    await this.page.goto('/meetings');
    await this.page.getByRole('link', { name: this.m.newMeeting, exact: true }).click();
    await this.heading(this.m.newMeeting).waitFor();
  }

  async createPoll(meeting: {
    title: string;
    /** Wall-clock times in the meeting's zone (the form's default: the organizer's profile zone). */
    slots: Array<{ date: string; start: string; end: string }>;
    agenda: string[];
    countries: string[];
    onlineUrl: string;
  }): Promise<void> {
    const page = this.page;
    await page.getByRole('textbox', { name: this.m.title, exact: true }).fill(meeting.title);
    await page.getByRole('radio', { name: this.m.byPoll, exact: true }).check();
    for (const [index, slot] of meeting.slots.entries()) {
      const n = index + 1;
      await page.getByLabel(this.m.optionDate(n), { exact: true }).fill(slot.date);
      await page.getByLabel(this.m.optionStart(n), { exact: true }).fill(slot.start);
      await page.getByLabel(this.m.optionEnd(n), { exact: true }).fill(slot.end);
    }
    for (const [index, item] of meeting.agenda.entries()) {
      await page.getByRole('button', { name: this.m.addAgendaItem, exact: true }).click();
      await page.getByRole('textbox', { name: this.m.agendaTitle(index + 1), exact: true }).fill(item);
    }
    await page.getByRole('textbox', { name: this.m.onlineLink, exact: true }).fill(meeting.onlineUrl);
    await page.getByRole('radio', { name: this.m.chosenInvitees, exact: true }).check();
    const countries = page.getByRole('group', { name: this.m.countries, exact: true });
    for (const country of meeting.countries) await countries.getByRole('checkbox', { name: country, exact: true }).check();
    await page.getByRole('button', { name: this.m.createPoll, exact: true }).click();
  }
}

/** One meeting's page: times, poll, room, minutes card. */
export class MeetingPage extends AppShell {
  readonly m = MEETINGS_UI;

  async waitUntilShown(title: string): Promise<void> {
    await this.heading(title).waitFor();
  }

  /** The start and end clocks of the meeting in the reader's zone ("10:00"). */
  localStart(): Locator {
    return this.page.locator('cn-meeting-times.when time.start');
  }

  localEnd(): Locator {
    return this.page.locator('cn-meeting-times.when time.end');
  }

  /** The row of local times in the invited capitals. */
  capitals(): Locator {
    return this.page.locator('cn-meeting-times.when').getByRole('list', { name: 'Start in the capitals of the invited countries', exact: true }).getByRole('listitem');
  }

  async answerPoll(answers: string[]): Promise<void> {
    for (const [index, answer] of answers.entries()) {
      await this.page.getByRole('group', { name: this.m.option(index + 1), exact: true }).getByRole('radio', { name: answer, exact: true }).check();
    }
    await this.page.getByRole('button', { name: this.m.saveAvailability, exact: true }).click();
  }

  /** The results table's row of a slot, best first. */
  resultRows(): Locator {
    return this.page.locator('cn-meeting-poll table').first().locator('tbody tr');
  }

  async chooseBestSlot(): Promise<void> {
    await this.resultRows().first().getByRole('button', { name: this.m.chooseTime }).click();
    // The dialog's buttons are slotted into it: find them from the page, once it is open.
    await this.page.getByRole('dialog', { name: this.m.chooseDialog, exact: true }).waitFor();
    await this.page.getByRole('button', { name: this.m.schedule, exact: true }).click();
  }

  room(): Locator {
    return this.page.locator('cn-meeting-room');
  }

  presentPeople(): Locator {
    return this.room().locator('ul.presence li');
  }

  chatMessages(): Locator {
    return this.room().getByRole('log');
  }

  async sendChat(text: string): Promise<void> {
    await this.room().getByRole('combobox', { name: this.m.yourMessage, exact: true }).fill(text);
    await this.room().getByRole('button', { name: this.m.send, exact: true }).click();
  }

  currentAgendaItem(): Locator {
    return this.room().locator('.current-item');
  }
}

/** The minutes of one occurrence. */
export class MinutesPage extends AppShell {
  readonly m = MEETINGS_UI;

  async writeSection(section: string, text: { summary: string; decisions: string }): Promise<void> {
    await this.page.getByRole('textbox', { name: this.m.summaryOf(section), exact: true }).fill(text.summary);
    await this.page.getByRole('textbox', { name: this.m.decisionsOn(section), exact: true }).fill(text.decisions);
  }

  /** Adds an action item to the first section that has the button (the first section). */
  async addActionItem(text: string, responsible: string): Promise<void> {
    await this.page.getByRole('button', { name: this.m.addActionItem, exact: true }).first().click();
    await this.page.getByRole('textbox', { name: this.m.action(1), exact: true }).fill(text);
    await this.page.getByRole('combobox', { name: this.m.responsible, exact: true }).first().selectOption({ label: responsible });
  }

  saveState(): Locator {
    return this.page.locator('cn-minutes-page .save-state');
  }

  async publish(): Promise<void> {
    await this.page.getByRole('button', { name: this.m.publishMinutes, exact: true }).click();
    await this.page.getByRole('dialog', { name: 'Publish the minutes?', exact: true }).waitFor();
    await this.page.getByRole('button', { name: this.m.publish, exact: true }).click();
  }

  published(): Locator {
    return this.page.getByRole('region', { name: this.m.publishedMinutes, exact: true });
  }
}

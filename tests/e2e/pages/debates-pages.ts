import type { Locator } from 'playwright-core';
import { AppShell } from './app-shell.js';

/** The debates overview (home page): categories and the list of debates. */
export class DebatesListPage extends AppShell {
  async goto(path = '/'): Promise<void> {
    await this.page.goto(path);
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.heading(this.t.debatesHeading).waitFor();
  }

  /** A debate in the list, named by its title. */
  thread(title: string): Locator {
    return this.page.getByRole('article', { name: title, exact: true });
  }

  threadLink(title: string): Locator {
    return this.thread(title).getByRole('link', { name: title, exact: true });
  }

  /** The bell in the header; its accessible name carries the unread count. */
  bell(): Locator {
    return this.banner().getByRole('link', { name: new RegExp(`^${this.t.notifications}`) });
  }
}

export interface NewDebate {
  title: string;
  /** The category's name as the select shows it. */
  category: string;
  body: string;
  tags?: string;
}

/** The form that starts a debate. */
export class NewThreadPage extends AppShell {
  async open(): Promise<void> {
    await this.page.getByRole('link', { name: this.t.startDebate, exact: true }).click();
    await this.heading(this.t.startDebate).waitFor();
  }

  async start(debate: NewDebate): Promise<void> {
    const page = this.page;
    await page.getByRole('textbox', { name: this.t.title, exact: true }).fill(debate.title);
    await page.getByRole('combobox', { name: this.t.category, exact: true }).selectOption({ label: debate.category });
    await page.getByRole('combobox', { name: this.t.message, exact: true }).fill(debate.body);
    if (debate.tags) await page.getByRole('textbox', { name: this.t.tags }).fill(debate.tags);
    await page.getByRole('button', { name: this.t.publishDebate, exact: true }).click();
  }
}

/** One debate and its posts. */
export class ThreadPage extends AppShell {
  async waitUntilShown(title: string): Promise<void> {
    await this.heading(title).waitFor();
  }

  /** The posts of the debate, in the order shown. */
  posts(): Locator {
    return this.page.locator('cn-thread-page article.post');
  }

  /** A post, found by a piece of its text. */
  post(text: string): Locator {
    return this.posts().filter({ has: this.page.locator('.post-body', { hasText: text }) });
  }

  async reply(toAuthor: string, postText: string, body: string): Promise<void> {
    const post = this.post(postText);
    await post.getByRole('button', { name: this.t.replyTo(toAuthor), exact: true }).click();
    const editor = post.getByRole('combobox', { name: this.t.yourReplyTo(toAuthor), exact: true });
    await editor.fill(body);
    await post.getByRole('button', { name: this.t.sendReply, exact: true }).click();
  }
}

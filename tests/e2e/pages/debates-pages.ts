import type { Locator } from 'playwright-core';
import { AppShell } from './app-shell.js';
import type { FilePayload } from './documents-pages.js';

/** The debates overview: categories and the list of debates. */
export class DebatesListPage extends AppShell {
  async goto(path = '/debates'): Promise<void> {
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
  /** Chosen with the composer's "Attach files" control; uploaded under the opening post. */
  files?: FilePayload[];
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
    if (debate.files) await page.getByLabel(this.t.attachFiles, { exact: true }).setInputFiles(debate.files);
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

  /** The composer at the end of the debate. */
  finalReply(): Locator {
    return this.page.getByRole('region', { name: this.t.replyToDebate, exact: true });
  }

  /** Writes in the composer at the end of the debate, chooses files with its "Attach files" control, and sends. */
  async replyToDebate(body: string, files: FilePayload[] = []): Promise<void> {
    const box = this.finalReply();
    await box.getByRole('combobox', { name: this.t.yourReply, exact: true }).fill(body);
    if (files.length > 0) await this.chooseFiles(box, files);
    await box.getByRole('button', { name: this.t.sendReply, exact: true }).click();
  }

  /** Chooses files through a composer's file input (found by its label, so it must have one). */
  async chooseFiles(composer: Locator, files: FilePayload[]): Promise<void> {
    await composer.getByLabel(this.t.attachFiles, { exact: true }).setInputFiles(files);
  }

  /** The files chosen in a composer, before sending. */
  chosenFiles(composer: Locator): Locator {
    return composer.getByRole('list', { name: this.t.filesToAttach, exact: true }).getByRole('listitem');
  }

  /** The list of files under a post. */
  attachments(post: Locator): Locator {
    return post.getByRole('list', { name: this.t.attachedFiles, exact: true });
  }

  /** The link to a file under a post (a download link, named by the file name). */
  attachmentLink(post: Locator, fileName: string): Locator {
    return this.attachments(post).getByRole('link', { name: fileName, exact: true });
  }

  /** Files still on their way to a post, or that failed to get there. */
  queuedFiles(post: Locator): Locator {
    return post.getByRole('list', { name: this.t.filesBeingAttached, exact: true }).getByRole('listitem');
  }

  /** The × next to a file under a post, then the confirmation. */
  async removeAttachment(post: Locator, fileName: string): Promise<void> {
    await this.attachments(post).getByRole('button', { name: this.t.removeAttachment(fileName), exact: true }).click();
    await this.page.getByRole('dialog', { name: this.t.removeAttachmentDialog(fileName), exact: true }).waitFor();
    await this.page.getByRole('button', { name: this.t.removeTheFile, exact: true }).click();
  }

  async reply(toAuthor: string, postText: string, body: string): Promise<void> {
    const post = this.post(postText);
    await post.getByRole('button', { name: this.t.replyTo(toAuthor), exact: true }).click();
    const editor = post.getByRole('combobox', { name: this.t.yourReplyTo(toAuthor), exact: true });
    await editor.fill(body);
    await post.getByRole('button', { name: this.t.sendReply, exact: true }).click();
  }
}

import type { Locator } from 'playwright-core';
import { AppShell } from './app-shell.js';

/** A file as Playwright hands it to a file input. */
export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export interface NewLibraryDocument {
  file: FilePayload;
  titleEs?: string;
  titleEn?: string;
  /** The type's label as the select shows it, e.g. "Report". */
  type: string;
  /** Language names as the checkboxes show them, e.g. "Spanish". */
  languages: string[];
}

/** The library: search, filters and the list of documents. */
export class LibraryPage extends AppShell {
  async goto(query = ''): Promise<void> {
    await this.page.goto(`/documents${query}`);
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.heading(this.t.libraryHeading).waitFor();
  }

  async search(words: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: this.t.libraryWords, exact: true }).fill(words);
    await this.page.locator('cn-library-page').getByRole('button', { name: this.t.search, exact: true }).click();
  }

  /** A document of the list, named by its title as shown. */
  item(title: string): Locator {
    return this.page.getByRole('article', { name: title, exact: true });
  }

  /** The live region with "Documents 1–n of total". */
  count(): Locator {
    return this.page.locator('cn-library-page').getByRole('status');
  }

  async openItem(title: string): Promise<void> {
    await this.item(title).getByRole('link', { name: title, exact: true }).click();
  }
}

/** The upload form. */
export class NewDocumentPage extends AppShell {
  async open(): Promise<void> {
    await this.page.getByRole('link', { name: this.t.uploadDocument, exact: true }).click();
    await this.heading(this.t.uploadDocument).waitFor();
  }

  async upload(document: NewLibraryDocument): Promise<void> {
    const page = this.page;
    await page.getByLabel(this.t.file, { exact: true }).setInputFiles(document.file);
    if (document.titleEs) await page.getByRole('textbox', { name: this.t.titleEs, exact: true }).fill(document.titleEs);
    if (document.titleEn) await page.getByRole('textbox', { name: this.t.titleEn, exact: true }).fill(document.titleEn);
    await page.getByRole('combobox', { name: this.t.type, exact: true }).selectOption({ label: document.type });
    const languages = page.getByRole('group', { name: this.t.languages, exact: true });
    for (const language of document.languages) await languages.getByRole('checkbox', { name: language, exact: true }).check();
    await page.getByRole('button', { name: this.t.uploadTheDocument, exact: true }).click();
  }
}

/** One document: downloads, versions and, for publishers, a new version and editing. */
export class DocumentPage extends AppShell {
  async waitUntilShown(title: string): Promise<void> {
    await this.heading(title).waitFor();
  }

  /** The main download link (latest version). */
  downloadLink(): Locator {
    return this.page.locator('cn-document-page').getByRole('link', { name: this.t.download, exact: true });
  }

  versionHistory(): Locator {
    return this.page.getByRole('table', { name: this.t.versionHistory, exact: true });
  }

  /** A row of the version history, by its "Version n" header. */
  version(number: number): Locator {
    return this.versionHistory()
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: this.t.version(number), exact: true }) });
  }

  async uploadVersion(file: FilePayload, changeNote: string): Promise<void> {
    const page = this.page;
    await page.getByLabel(this.t.newVersionFile, { exact: true }).setInputFiles(file);
    await page.getByRole('textbox', { name: this.t.whatChanged }).fill(changeNote);
    await page.getByRole('button', { name: this.t.uploadNewVersion, exact: true }).click();
  }
}

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { ThreadPage } from './pages/debates-pages.js';
import { addMember, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const TITLE = 'Harmonising the definition of urban slum households';
const OPENING = 'Which definition of slum household does your office publish?';
const CHILEAN = 'We follow the UN-Habitat definition with five deprivations.';

describeInBrowser('debates, working with posts', () => {
  let h: Harness;
  let admin: Person;
  let mexico: Person;
  let chile: Person;
  let threadId = '';

  beforeAll(async () => {
    h = await startHarness();
    admin = await setUp(h, ADMIN);
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    chile = await addMember(h, admin, { displayName: 'Pedro Soto', email: 'pedro@ine.cl', password: 'pedro-password-1', countryId: 'cl' });
    const categories = await call<{ items: Array<{ id: string; mayStart: boolean }> }>(h, 'GET', '/api/categories', undefined, mexico.cookie);
    const created = await call<{ thread: { id: string }; post: { id: string } }>(
      h,
      'POST',
      '/api/threads',
      { categoryId: categories.items.find((c) => c.mayStart)!.id, title: TITLE, body: OPENING, indicatorCodes: ['7.10'] },
      mexico.cookie,
    );
    threadId = created.thread.id;
    await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: CHILEAN, parentId: created.post.id }, chile.cookie);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('agrees, quotes, edits with history, withdraws, keeps drafts and the chosen view', async () => {
    const context = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, context, mexico);
    const page = h.watch(await context.newPage());
    const thread = new ThreadPage(page);
    await page.goto(`/debates/t/${threadId}`);
    await thread.waitUntilShown(TITLE);

    // +1 on the Chilean post, then who agrees.
    const chilean = thread.post(CHILEAN);
    await chilean.getByRole('button', { name: `+1 Agree (${chile.displayName})` }).click();
    await chilean.getByRole('button', { name: '1 agrees' }).click();
    const agreeDialog = page.getByRole('dialog', { name: 'Who agrees' });
    await agreeDialog.waitFor();
    await page.locator('cn-thread-page').getByRole('link', { name: mexico.displayName }).waitFor();
    await page.keyboard.press('Escape');
    await agreeDialog.waitFor({ state: 'hidden' });
    expect(await chilean.getByRole('button', { name: `+1 Agree (${chile.displayName})` }).getAttribute('aria-pressed')).toBe('true');

    // Select a few words of it and quote them into a reply.
    await page.evaluate((text) => {
      const root = document.querySelector('cn-app')!.shadowRoot!.querySelector('cn-thread-page')!.shadowRoot!;
      const body = [...root.querySelectorAll('.post-body')].find((element) => element.textContent?.includes(text))!;
      const node = body.querySelector('p')!.firstChild!;
      document.getSelection()!.setBaseAndExtent(node, 0, node, 'We follow the UN-Habitat definition'.length);
    }, CHILEAN);
    await chilean.getByRole('button', { name: 'Quote the selection' }).click();
    const replyEditor = chilean.getByRole('combobox', { name: `Your reply to ${chile.displayName}` });
    await expect.poll(() => replyEditor.inputValue()).toContain('> We follow the UN-Habitat definition');
    expect(await replyEditor.inputValue()).toContain(`${chile.displayName} wrote:`);
    await replyEditor.press('End');
    await replyEditor.pressSequentially('Agreed, we do the same.');

    // The unsent reply survives a reload.
    await page.waitForTimeout(600);
    await page.reload();
    await thread.waitUntilShown(TITLE);
    await thread.post(CHILEAN).getByRole('button', { name: `Reply to ${chile.displayName}` }).click();
    await expect.poll(() => replyEditor.inputValue()).toContain('Agreed, we do the same.');
    // Ctrl+Enter sends it; it appears under the Chilean post, one level deeper.
    await replyEditor.press('Control+Enter');
    const mine = page.locator(`cn-thread-page #${await thread.post('Agreed, we do the same.').getAttribute('id')}`);
    await mine.waitFor();
    await expect(mine.getAttribute('class')).resolves.toMatch(/indent-2/);
    await mine.locator('blockquote').waitFor();

    // Edit it; the history shows both versions.
    await mine.getByRole('button', { name: 'Edit', exact: true }).click();
    const editEditor = mine.getByRole('combobox', { name: 'Edit your post' });
    await expect.poll(() => editEditor.inputValue()).toContain('Agreed, we do the same.');
    await editEditor.fill('Agreed: INEGI uses the same five deprivations.');
    await mine.getByRole('button', { name: 'Save the changes' }).click();
    const edited = mine;
    await thread.post('INEGI uses the same five deprivations').waitFor();
    await edited.getByRole('button', { name: 'Edited: see the history' }).click();
    const history = page.getByRole('dialog', { name: 'Edit history' });
    await history.waitFor();
    await page.locator('cn-thread-page cn-dialog').getByText('Agreed, we do the same.').waitFor();
    await page.keyboard.press('Escape');
    await history.waitFor({ state: 'hidden' });

    // Withdraw it, after confirming.
    await edited.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await page.getByRole('dialog', { name: 'Withdraw your post?' }).waitFor();
    await page.getByRole('button', { name: 'Withdraw the post' }).click();
    await page.locator('cn-thread-page').getByText('Withdrawn by the author.').waitFor();

    // The chronological view is remembered across reloads.
    await page.getByRole('button', { name: 'In order of posting' }).click();
    await page.reload();
    await thread.waitUntilShown(TITLE);
    expect(await page.getByRole('button', { name: 'In order of posting' }).getAttribute('aria-pressed')).toBe('true');

    expect(h.problems).toEqual([]);
  }, 90_000);

  it('shows task lists as disabled checkboxes that keep their state, without bullets, in the post and in the preview', async () => {
    const TASKS = '- [x] Revisar las cifras de 2024\n- [ ] Enviar el informe';
    await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: `Pendientes:\n\n${TASKS}` }, chile.cookie);
    const context = await h.newContext({ viewport: { width: 390, height: 844 } });
    await signIn(h, context, mexico);
    const page = h.watch(await context.newPage());
    const thread = new ThreadPage(page);
    await page.goto(`/debates/t/${threadId}`);
    await thread.waitUntilShown(TITLE);

    const checkState = async (scope: ReturnType<typeof page.locator>) => {
      const done = scope.getByRole('checkbox', { name: 'Revisar las cifras de 2024' });
      const open = scope.getByRole('checkbox', { name: 'Enviar el informe' });
      await done.waitFor();
      expect(await done.isChecked()).toBe(true);
      expect(await done.isDisabled()).toBe(true);
      expect(await open.isChecked()).toBe(false);
      expect(await open.isDisabled()).toBe(true);
      // The box stands where the bullet would: no bullet, no literal markup.
      const item = scope.locator('li.task-list-item').first();
      expect(await item.evaluate((li) => getComputedStyle(li).listStyleType)).toBe('none');
      expect(await scope.textContent()).not.toContain('<input');
      // Clicking changes nothing: the state is the author's.
      await done.click({ force: true });
      expect(await done.isChecked()).toBe(true);
    };
    await checkState(thread.post('Pendientes:'));

    // The composer's preview shows them the same way.
    const editor = page.getByRole('combobox', { name: 'Your reply', exact: true });
    await editor.fill(TASKS);
    const composer = page.locator('cn-thread-page .final-reply cn-markdown-editor');
    await composer.getByRole('button', { name: 'Preview' }).click();
    await checkState(composer.locator('.preview'));

    expect(h.problems).toEqual([]);
  }, 60_000);

  it('lets a moderator hide a post with a reason that its author sees', async () => {
    const context = await h.newContext({ viewport: { width: 390, height: 844 } });
    await signIn(h, context, admin);
    const page = h.watch(await context.newPage());
    const thread = new ThreadPage(page);
    await page.goto(`/debates/t/${threadId}`);
    await thread.waitUntilShown(TITLE);
    const chilean = thread.post(CHILEAN);
    await chilean.getByRole('button', { name: 'Hide', exact: true }).click();
    await page.getByRole('dialog', { name: `Hide the post by ${chile.displayName}` }).waitFor();
    await page.getByRole('button', { name: 'Hide the post' }).click();
    // A reason is required.
    await page.getByRole('alert').getByText('Give a reason: the author will see it.').waitFor();
    await page.getByRole('textbox', { name: 'Reason' }).fill('Off topic');
    await page.getByRole('button', { name: 'Hide the post' }).click();
    await page.locator('cn-thread-page').getByText('Hidden by a moderator: Off topic').waitFor();

    // Another member (not the author) sees only that it was hidden.
    const otherContext = await h.newContext();
    await signIn(h, otherContext, mexico);
    const other = h.watch(await otherContext.newPage());
    await other.goto(`/debates/t/${threadId}`);
    await new ThreadPage(other).waitUntilShown(TITLE);
    await other.locator('cn-thread-page').getByText('Hidden by a moderator.', { exact: true }).waitFor();
    expect(await other.locator('cn-thread-page').getByText(CHILEAN).count()).toBe(0);

    // The moderator shows it again.
    await page.getByRole('button', { name: 'Show again' }).click();
    await thread.post(CHILEAN).getByRole('button', { name: `Reply to ${chile.displayName}` }).waitFor();
    expect(h.problems).toEqual([]);
  }, 60_000);
});

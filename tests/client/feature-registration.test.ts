import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { navigationFor, ROUTES } from '../../client/app/features.js';
import type { User } from '../../client/app/models.js';

/**
 * A client feature plugs into the shell by registering (README, "Adding a feature"): its routes.ts
 * (paths, who may open them, titles, the element of each page, its menu links) is listed once in
 * client/app/features.ts, and the shell builds its router and menus from that list. So the shell's
 * two files, app-root.ts (the router and its guards) and app-header.ts (the menus), name no
 * feature's page address and no feature's element, and import no feature: a new feature cannot slip
 * back into them.
 */

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const SHELL_FILES = ['client/app/app-root.ts', 'client/app/app-header.ts'];
const FEATURE_DIRS = readdirSync(path.join(root, 'client/features'));

const parse = (file: string, text: string) => ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);

/** Every piece of literal text of a source file: strings and template text (comments are not literals). */
function literalTexts(file: string, text: string, skip: (node: ts.Node) => boolean = () => false): string[] {
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (skip(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      texts.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file, text));
  return texts;
}

/** A call to the API client (`api.get('/setup')`): its address is the server's, not a page's. */
const isApiCall = (node: ts.Node) =>
  ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'api';

/** What the features own: the first segment of each of their page addresses, and their elements. */
interface FeatureNames {
  sections: Set<string>;
  elements: Set<string>;
}

function featureNames(sources: Array<{ file: string; text: string }>): FeatureNames {
  const sections = new Set<string>();
  const elements = new Set<string>();
  for (const { file, text } of sources) {
    const visit = (node: ts.Node) => {
      // { path: '/meetings/:id' } and { href: '/directory' } in a routes.ts
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ['path', 'href'].includes(node.name.text) && ts.isStringLiteral(node.initializer)) {
        const section = node.initializer.text.split('/')[1];
        if (section) sections.add(section);
      }
      // customElements.define('cn-library-page', ...) in a define.ts
      if (ts.isCallExpression(node) && node.expression.getText() === 'customElements.define' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        elements.add(node.arguments[0].text);
      }
      ts.forEachChild(node, visit);
    };
    visit(parse(file, text));
    for (const literal of literalTexts(file, text)) for (const tag of literal.match(/<cn-[a-z0-9-]+/g) ?? []) elements.add(tag.slice(1));
  }
  return { sections, elements };
}

/** Where a shell file names a feature's page address or element ("file: what"), none when it names none. */
function featureMentions(file: string, text: string, names: FeatureNames): string[] {
  const found: string[] = [];
  for (const literal of literalTexts(file, text, isApiCall)) {
    for (const section of names.sections) {
      if (new RegExp(`(?<![\\w./-])/${section}(?![\\w-])`).test(literal)) found.push(`${file}: the address /${section} (in ${JSON.stringify(literal.trim().slice(0, 80))})`);
    }
    for (const element of names.elements) {
      if (new RegExp(`(?<![\\w-])${element}(?![\\w-])`).test(literal)) found.push(`${file}: the element <${element}>`);
    }
  }
  return found;
}

const featureSources = () =>
  FEATURE_DIRS.flatMap((feature) =>
    ['routes.ts', 'define.ts']
      .map((name) => `client/features/${feature}/${name}`)
      .filter((file) => existsSync(path.join(root, file)))
      .map((file) => ({ file, text: read(file) })),
  );

const user = (role: User['role']) => ({ role }) as User;

describe('the shell and the features it routes to', () => {
  const names = featureNames(featureSources());

  it('reads what the features own (their sections and elements), so the check below is not empty', () => {
    for (const section of ['debates', 'documents', 'meetings', 'consultations', 'discrepancies', 'rounds', 'directory', 'admin', 'mail', 'notifications', 'setup', 'login']) {
      expect(names.sections).toContain(section);
    }
    for (const element of ['cn-home-page', 'cn-thread-page', 'cn-library-page', 'cn-consultation-builder', 'cn-discrepancy-matrix-page', 'cn-round-page', 'cn-audit-page', 'cn-login-page']) {
      expect(names.elements).toContain(element);
    }
  });

  it('app-root.ts and app-header.ts name no feature page address, no feature element, and import no feature', () => {
    for (const file of SHELL_FILES) {
      const text = read(file);
      expect(featureMentions(file, text, names)).toEqual([]);
      const imports = ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName);
      expect(imports.filter((specifier) => specifier.includes('features/'))).toEqual([]);
    }
  });

  it('catches a feature written back into the shell (a synthetic app-root.ts)', () => {
    const synthetic = `
      // A comment may say /consultations: only code counts.
      const boot = () => api.get('/setup');
      const routes = [
        { path: '/consultations', access: 'user', title: () => msg('Consultations'), render: () => html\`<cn-consultations-page></cn-consultations-page>\` },
      ];
      const link = html\`<a href="/rounds/\${id}">x</a>\`;
    `;
    expect(featureMentions('client/app/app-root.ts', synthetic, names)).toEqual([
      'client/app/app-root.ts: the address /consultations (in "/consultations")',
      'client/app/app-root.ts: the element <cn-consultations-page>',
      'client/app/app-root.ts: the address /rounds (in "<a href=\\"/rounds/")',
    ]);
  });

  it('lists every feature that has pages, and keeps each routes.ts eager and small: no page code', () => {
    const list = read('client/app/features.ts');
    for (const feature of FEATURE_DIRS) {
      const file = `client/features/${feature}/routes.ts`;
      if (!existsSync(path.join(root, file))) continue;
      expect(list, feature).toContain(`'../features/${feature}/routes.js'`);
      const imports = ts.preProcessFile(read(file), true, true).importedFiles.map((imported) => imported.fileName);
      expect(imports.filter((specifier) => !['lit', '@lit/localize', '../../app/routing.js'].includes(specifier)), file).toEqual([]);
    }
    for (const feature of FEATURE_DIRS.filter((name) => existsSync(path.join(root, `client/features/${name}/define.ts`)))) {
      expect(existsSync(path.join(root, `client/features/${feature}/routes.ts`)), `${feature} has a define.ts but no routes.ts`).toBe(true);
    }
  });

  it('routes every address as before: path, access rule, title and page element, in order', () => {
    // The pages read the address's query and hash as they render.
    vi.stubGlobal('window', { location: { search: '', hash: '' } });
    onTestFinished(() => void vi.unstubAllGlobals());
    const table = ROUTES.map((route) => {
      const strings = (route.render({}) as { strings: readonly string[] }).strings.join('');
      return [route.path, route.access, route.title(user('admin')), strings.match(/<(cn-[a-z0-9-]+)/)?.[1]];
    });
    expect(table).toEqual([
      ['/', 'home', 'Home', 'cn-home-page'],
      ['/debates', 'user', 'Debates', 'cn-debates-page'],
      ['/debates/c/:slug', 'user', 'Debates', 'cn-debates-page'],
      ['/debates/new', 'user', 'Start a debate', 'cn-new-thread-page'],
      ['/debates/t/:id', 'user', 'Debate', 'cn-thread-page'],
      ['/documents', 'user', 'Document library', 'cn-library-page'],
      ['/documents/new', 'publisher', 'Upload a document', 'cn-new-document-page'],
      ['/documents/trash', 'admin', 'Trash', 'cn-document-trash-page'],
      ['/documents/:id', 'public', 'Document', 'cn-document-page'],
      ['/meetings', 'user', 'Meetings', 'cn-meetings-page'],
      ['/meetings/mine', 'user', 'My meetings', 'cn-meetings-page'],
      ['/meetings/polls', 'user', 'Date polls', 'cn-meetings-page'],
      ['/meetings/past', 'user', 'Past meetings', 'cn-meetings-page'],
      ['/meetings/calendar', 'user', 'Meetings calendar', 'cn-meetings-calendar-page'],
      ['/meetings/new', 'publisher', 'New meeting', 'cn-meeting-form-page'],
      ['/meetings/action-items', 'user', 'Action items', 'cn-action-items-page'],
      ['/meetings/:id', 'user', 'Meeting', 'cn-meeting-page'],
      ['/meetings/:id/minutes', 'user', 'Minutes', 'cn-minutes-page'],
      ['/meetings/:id/edit', 'publisher', 'Edit the meeting', 'cn-meeting-form-page'],
      ['/consultations', 'user', 'Consultations', 'cn-consultations-page'],
      ['/consultations/new', 'publisher', 'New consultation', 'cn-consultation-builder'],
      ['/consultations/:id', 'user', 'Consultation', 'cn-consultation-page'],
      ['/consultations/:id/edit', 'publisher', 'Edit the consultation', 'cn-consultation-builder'],
      ['/discrepancies', 'user', 'Discrepancies', 'cn-discrepancy-matrix-page'],
      ['/discrepancies/cases', 'user', 'Discrepancy cases', 'cn-discrepancy-cases-page'],
      ['/discrepancies/cases/:id', 'user', 'Discrepancy case', 'cn-discrepancy-case-page'],
      ['/discrepancies/import', 'user', 'Import values', 'cn-discrepancy-import-page'],
      ['/rounds', 'user', 'Comment rounds', 'cn-rounds-page'],
      ['/rounds/new', 'publisher', 'Open a comment round', 'cn-new-round-page'],
      ['/rounds/:id', 'user', 'Comment round', 'cn-round-page'],
      ['/rounds/:id/matrix', 'user', 'Comment-resolution matrix', 'cn-round-matrix-page'],
      ['/rounds/:id/compare', 'user', 'Compare versions', 'cn-round-compare-page'],
      ['/profile', 'user', 'Your profile', 'cn-profile-page'],
      ['/directory', 'user', 'Member directory', 'cn-directory-page'],
      ['/people/:id', 'user', 'Participant', 'cn-person-page'],
      ['/search', 'user', 'Search debates, documents and meetings', 'cn-search-page'],
      ['/admin/users', 'inviter', 'Users and invitations', 'cn-admin-users-page'],
      ['/admin/audit', 'admin', 'Audit log', 'cn-audit-page'],
      ['/mail/preferences', 'user', 'E-mail preferences', 'cn-mail-preferences-page'],
      ['/mail/outbox', 'admin', 'Outgoing e-mail', 'cn-mail-outbox-page'],
      ['/notifications', 'user', 'Notifications', 'cn-notifications-page'],
      ['/setup', 'setup', 'Set up Concilia', 'cn-setup-page'],
      ['/invitation/:token', 'public', 'Invitation', 'cn-accept-invitation-page'],
      ['/login', 'guest', 'Sign in', 'cn-login-page'],
      ['/forgot-password', 'guest', 'Forgot your password?', 'cn-forgot-password-page'],
      ['/confirm-email/:token', 'public', 'Confirm your new e-mail address', 'cn-confirm-email-page'],
      ['/reset-password/:token', 'public', 'Choose a new password', 'cn-reset-password-page'],
    ]);
    expect(ROUTES.find((route) => route.path === '/admin/users')?.title(user('coordinator'))).toBe('Invitations');
    expect(new Set(ROUTES.map((route) => route.path)).size).toBe(ROUTES.length);
  });

  it('builds the menus from the features, in the order and with the links each role saw before', () => {
    const menu = (role: User['role'], which: 'main' | 'account') => navigationFor(user(role), which).map((entry) => `${entry.href} ${entry.label(user(role))}`);
    const main = ['/ Home', '/debates Debates', '/documents Documents', '/meetings Meetings', '/consultations Consultations', '/discrepancies Discrepancies', '/directory Directory', '/search Search'];
    expect(menu('admin', 'main')).toEqual([...main, '/admin/users Users']);
    expect(menu('coordinator', 'main')).toEqual([...main, '/admin/users Invitations']);
    for (const role of ['secretariat', 'member', 'observer'] as const) expect(menu(role, 'main')).toEqual(main);
    expect(menu('admin', 'account')).toEqual(['/profile Your profile', '/mail/preferences E-mail preferences', '/mail/outbox Outgoing e-mail']);
    for (const role of ['coordinator', 'member'] as const) expect(menu(role, 'account')).toEqual(['/profile Your profile', '/mail/preferences E-mail preferences']);
  });
});

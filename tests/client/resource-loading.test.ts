import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * One way to load data (README, "How the code is laid out": client/controllers/resource.ts): a page
 * loads what it shows through a `Resource`, which renders loading, failure with "Try again" and
 * empty alike on every page, aborts a load whose arguments changed and keeps focus where it was.
 *
 * The rule, over the source of every page element (a class in client/features/**\/*-page.ts): a page
 * loads by hand when
 *   1. it builds a @lit/task `Task` itself (`new Task(...)`): Resource is the one wrapper of it; or
 *   2. one of its lifecycle methods (connectedCallback, firstUpdated, willUpdate, updated) reaches an
 *      API call, in its own body (closures included) or through the methods of the same class it
 *      calls (`void this.load()`, followed transitively); an API call is a call on the API client
 *      (`api.get(...)`), on a feature's API module (`roundsApi.list(...)`: an object whose name ends
 *      in `Api`), or `getJson(...)` / `fetch(...)`. Functions handed to a constructor (an observer)
 *      or to addEventListener, setTimeout, setInterval, requestAnimationFrame or requestIdleCallback
 *      are not followed: they run later, in answer to something.
 * Loading in answer to the reader (a button, a submitted form) or to a live event is not initial
 * loading and is not looked at.
 */

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Pages still loading by hand, to be converted by the helpers who own their folders. Remove an entry
 * when the page moves to Resource (the test fails while a listed page no longer needs its entry).
 */
const NOT_YET_ON_RESOURCE: ReadonlySet<string> = new Set([
]);

const LIFECYCLE = new Set(['connectedCallback', 'firstUpdated', 'willUpdate', 'updated']);

/** A call that asks the server: `api.get(...)`, `meetingsApi.meeting(...)`, `getJson(...)`, `fetch(...)`. */
function isApiCall(node: ts.CallExpression): boolean {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 'getJson' || callee.text === 'fetch';
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const object = callee.expression.text;
    return object === 'api' || /Api$/.test(object);
  }
  return false;
}

const LATER = new Set(['addEventListener', 'setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback']);

/**
 * A constructor (`new IntersectionObserver((entries) => ...)`) or a listener or timer
 * (`window.setTimeout(() => ...)`): the functions handed to it run later, in answer to something,
 * not as the page's initial load.
 */
function runsLater(node: ts.Node): boolean {
  if (ts.isNewExpression(node)) return true;
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return LATER.has(name);
}

/** `this.name(...)`: a call of another member of the same class. */
function calledMember(node: ts.CallExpression): string | null {
  const callee = node.expression;
  return ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? callee.name.text : null;
}

/** A member's body: a method, an accessor, or a property holding a function (`private load = async () => {...}`). */
function memberBody(member: ts.ClassElement): ts.Node | null {
  if ((ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member)) && member.body) return member.body;
  if (ts.isPropertyDeclaration(member) && member.initializer && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))) {
    return member.initializer.body;
  }
  return null;
}

const memberName = (member: ts.ClassElement) => (member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) ? member.name.text : null);

/** Why a page's source loads its data by hand, one line each; none when it does not. */
export function handLoading(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visitClasses = (node: ts.Node) => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) checkClass(node);
    ts.forEachChild(node, visitClasses);
  };
  const checkClass = (cls: ts.ClassLikeDeclaration) => {
    const className = cls.name?.text ?? '(anonymous class)';
    // What each member does: the API calls in it and the members it calls.
    const members = new Map<string, { apiCalls: string[]; calls: Set<string> }>();
    for (const member of cls.members) {
      const name = memberName(member);
      const body = memberBody(member);
      if (!name || !body) continue;
      const entry = members.get(name) ?? { apiCalls: [], calls: new Set<string>() };
      const walk = (node: ts.Node) => {
        if (ts.isCallExpression(node)) {
          if (isApiCall(node)) entry.apiCalls.push(node.expression.getText(source));
          const called = calledMember(node);
          if (called) entry.calls.add(called);
        }
        if (runsLater(node)) {
          // A callback that runs later, in answer to something: walk the call but not the callback.
          ts.forEachChild(node, (child) => (ts.isArrowFunction(child) || ts.isFunctionExpression(child) ? undefined : walk(child)));
          return;
        }
        ts.forEachChild(node, walk);
      };
      walk(body);
      members.set(name, entry);
    }
    for (const lifecycle of LIFECYCLE) {
      if (!members.has(lifecycle)) continue;
      // Breadth first from the lifecycle method, through this class's own members.
      const seen = new Map<string, string[]>([[lifecycle, [lifecycle]]]);
      const queue = [lifecycle];
      while (queue.length) {
        const name = queue.shift()!;
        const entry = members.get(name);
        if (!entry) continue;
        const route = seen.get(name)!;
        for (const call of entry.apiCalls) found.push(`${file}: ${className}.${route.join(' -> ')} calls ${call}(...)`);
        for (const next of entry.calls) {
          if (!seen.has(next)) {
            seen.set(next, [...route, next]);
            queue.push(next);
          }
        }
      }
    }
  };
  visitClasses(source);
  const visitTasks = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Task') {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push(`${file}:${line}: builds a Task by hand (use Resource)`);
    }
    ts.forEachChild(node, visitTasks);
  };
  visitTasks(source);
  return found;
}

function pageFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir))) {
      const relative = `${dir}/${name}`;
      if (statSync(path.join(root, relative)).isDirectory()) walk(relative);
      else if (name.endsWith('-page.ts')) found.push(relative);
    }
  };
  walk('client/features');
  return found.sort();
}

describe('pages load their data through Resource', () => {
  const pages = pageFiles();
  const findings = new Map(pages.map((file) => [file, handLoading(file, readFileSync(path.join(root, file), 'utf8'))]));

  it('finds the pages (the check is not empty)', () => {
    expect(pages.length).toBeGreaterThan(40);
    expect(pages).toContain('client/features/admin/audit-page.ts');
    expect(pages).toContain('client/features/debates/thread/thread-page.ts');
  });

  it('no page outside the list loads its initial data by hand', () => {
    const offenders = [...findings].filter(([file]) => !NOT_YET_ON_RESOURCE.has(file)).flatMap(([, lines]) => lines);
    expect(offenders).toEqual([]);
  });

  it('lists only pages that still load by hand (remove an entry when the page moves to Resource)', () => {
    const converted = [...NOT_YET_ON_RESOURCE].filter((file) => (findings.get(file) ?? []).length === 0);
    expect(converted).toEqual([]);
  });

  it('catches each way of loading by hand, and lets a Resource page through (synthetic sources)', () => {
    const byTask = `
      import { Task } from '@lit/task';
      export class CnThingsPage extends AppElement {
        private things = new Task(this, { task: ([id], { signal }) => api.get('/things/' + id, { signal }), args: () => [this.id] });
      }`;
    const byLifecycle = `
      export class CnRoundsPage extends AppElement {
        override connectedCallback() { super.connectedCallback(); void this.load(); }
        private async load() { this.state = await this.fetchAll(); }
        private fetchAll = async () => roundsApi.list();
      }`;
    const byWillUpdate = `
      export class CnCasePage extends AppElement {
        protected override willUpdate(changed) { if (changed.has('caseId')) getJson('/cases/' + this.caseId).then((c) => (this.case = c)); }
      }`;
    const onResource = `
      export class CnGoodPage extends AppElement {
        private page = new Resource(this, { args: () => [this.id] as const, load: ([id], signal) => thingsApi.get(id, signal) });
        override connectedCallback() { super.connectedCallback(); this.page.value; }
        private async save() { await thingsApi.save(this.draft); void this.page.run(); }
        private onLive() { void thingsApi.summary().then((s) => (this.summary = s)); }
        override firstUpdated() { this.observer = new IntersectionObserver(() => this.markSeen()); window.setTimeout(() => this.markSeen(), 800); }
        private markSeen() { void thingsApi.seen(); }
      }`;
    expect(handLoading('client/features/things/things-page.ts', byTask)).toEqual(['client/features/things/things-page.ts:4: builds a Task by hand (use Resource)']);
    expect(handLoading('client/features/rounds/rounds-page.ts', byLifecycle)).toEqual([
      'client/features/rounds/rounds-page.ts: CnRoundsPage.connectedCallback -> load -> fetchAll calls roundsApi.list(...)',
    ]);
    expect(handLoading('client/features/discrepancies/case-page.ts', byWillUpdate)).toEqual([
      'client/features/discrepancies/case-page.ts: CnCasePage.willUpdate calls getJson(...)',
    ]);
    expect(handLoading('client/features/things/good-page.ts', onResource)).toEqual([]);
  });
});

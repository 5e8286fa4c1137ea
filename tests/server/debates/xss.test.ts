import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xssPayloads } from '../../fixtures/xss-payloads.js';
import { buildTestApp, type TestApp } from '../../helper.js';
import { api, categoryId, populate, reply, startThread, type People } from './support.js';

/** The shared list (also rendered by the browser test), plus forms that matter to the stored HTML. */
const XSS_PAYLOADS = [
  ...xssPayloads,
  '[click](javascript&#58;alert(1))',
  '[click](  javascript:alert(1)  "title")',
  '![x](https://example.org/a.png"onerror="alert(1))',
  '<a href="x" <script>alert(1)</script>>',
  '<<img src=x onerror=alert(1)//<',
  '</p><script>alert(1)</script><p>',
  '<![CDATA[<script>alert(1)</script>]]>',
  '| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |',
  '**<img src=x onerror=alert(1)>**',
];

let t: TestApp;
let people: People;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
});
afterAll(async () => t.close());

/** What stored HTML must never contain, whatever the input. */
function problemsIn(html: string): string[] {
  const problems: string[] = [];
  if (/<script/i.test(html)) problems.push('script tag');
  if (/<(svg|iframe|img|style|object|embed|math|form|input|link|meta|base)\b/i.test(html)) problems.push('forbidden tag');
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    for (const [, value] of tag.matchAll(/\s(?:href|src|action|data|xlink:href|formaction)\s*=\s*"([^"]*)"/gi)) {
      const decoded = value!.replace(/&#x([0-9a-f]+);?/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/&#(\d+);?/g, (_m, dec: string) => String.fromCharCode(Number(dec))).replace(/[\s\u0000-\u001f]/g, '');
      if (/^(javascript|data|vbscript):/i.test(decoded)) problems.push(`dangerous URL in ${tag}`);
    }
    // Attribute names only: text inside a quoted value (an escaped title) is not an attribute.
    const names = tag.replace(/"[^"]*"|'[^']*'/g, '""');
    if (/\son\w+\s*=/i.test(names)) problems.push(`event handler in ${tag}`);
    if (/\sstyle\s*=/i.test(names)) problems.push(`style attribute in ${tag}`);
  }
  return problems;
}

describe('stored HTML', () => {
  it(`is safe for ${XSS_PAYLOADS.length} known payloads, as a thread, a reply and an edit`, async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
    const general = await categoryId(t.app, people.member, 'general');
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: '<script>alert(1)</script> title', body: XSS_PAYLOADS[0]! });
    const failures: Array<{ payload: string; html: string; problems: string[] }> = [];
    const check = (payload: string, html: string | null) => {
      const problems = problemsIn(html ?? '');
      if (problems.length > 0) failures.push({ payload, html: html ?? '', problems });
    };
    for (const payload of XSS_PAYLOADS) {
      const post = await reply(t.app, people.member, thread.id, payload);
      check(payload, post.html);
      const edited = await api(t.app, people.member, 'PATCH', `/posts/${post.id}`, { body: `${payload}\n\nedited` });
      check(payload, edited.json().post.html);
      check(payload, (await api(t.app, people.member, 'POST', '/markdown/preview', { body: payload })).json().html);
    }
    // And what is stored, not only what the API returns.
    const db = new Database(t.config.databaseFile, { readonly: true });
    try {
      for (const row of db.prepare('select source, html from posts').all() as Array<{ source: string; html: string }>) check(row.source, row.html);
      for (const row of db.prepare('select source, html from post_revisions').all() as Array<{ source: string; html: string }>) check(row.source, row.html);
    } finally {
      db.close();
    }
    expect(failures).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xssPayloads } from '../../fixtures/xss-payloads.js';
import { buildTestApp, type TestApp } from '../../helper.js';
import { openTestDb } from '../support.js';
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
  // Task lists: the only place an <input> (a disabled checkbox) and a <label> may appear.
  '- [x] <img src=x onerror=alert(1)>',
  '- [ ] [x](javascript:alert(1))',
  '- [x] <input type="text" autofocus onfocus=alert(1)>',
  '- [x] <input type="hidden" name="token" value="x"><input type="submit" formaction="javascript:alert(1)">',
  '- [x] <label for="delete-account">click</label>',
  '* [X] <input type=checkbox onclick=alert(1) checked>',
  '- [ ] a\n  - [x] <script>alert(1)</script>',
  '- [x] one\n\n- [ ] <svg onload=alert(1)>',
  '1. [x] numbered <iframe src=javascript:alert(1)>',
  '- [x] **<img src=x onerror=alert(1)>** [y](https://example.org "a\" onmouseover=\"alert(1)")',
  '- [<input type=text>] not a task',
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
  if (/<(svg|iframe|img|style|object|embed|math|form|link|meta|base|button|select|textarea)\b/i.test(html)) problems.push('forbidden tag');
  // A task list's disabled checkbox, and the bare label that names it, are the only form parts allowed.
  for (const input of html.match(/<input\b[^>]*>/gi) ?? []) {
    if (!/^<input type="checkbox" disabled(?: checked)? \/>$/.test(input)) problems.push(`input other than a disabled checkbox: ${input}`);
  }
  for (const label of html.match(/<label\b[^>]*>/gi) ?? []) {
    if (label !== '<label>') problems.push(`label with attributes: ${label}`);
  }
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
    const db = openTestDb(t);
    try {
      for (const row of await db.prepare<{ source: string; html: string }>('select source, html from posts').all()) check(row.source, row.html);
      for (const row of await db.prepare<{ source: string; html: string }>('select source, html from post_revisions').all()) check(row.source, row.html);
    } finally {
      await db.close();
    }
    expect(failures).toEqual([]);
  });
});

describe('task lists', () => {
  const preview = async (body: string) => (await api(t.app, people.member, 'POST', '/markdown/preview', { body })).json() as { html: string };

  it('render as disabled checkboxes that keep their state, each named by its item, in classed lists the client styles without bullets', async () => {
    const { html } = await preview('- [x] Revisar las cifras de **2024**\n- [ ] Enviar el informe\n- item sin casilla');
    expect(html).not.toContain('&lt;input');
    expect(html).toContain('<ul class="contains-task-list">');
    expect(html).toContain('<li class="task-list-item"><label><input type="checkbox" disabled checked /> Revisar las cifras de <strong>2024</strong></label></li>');
    expect(html).toContain('<li class="task-list-item"><label><input type="checkbox" disabled /> Enviar el informe</label></li>');
    expect(html).toContain('<li>item sin casilla</li>');
    expect(problemsIn(html)).toEqual([]);
  });

  it('keep their state in loose, nested and numbered lists', async () => {
    const loose = (await preview('- [x] uno\n\n- [ ] dos')).html;
    expect(loose).toMatch(/<li class="task-list-item"><p><label><input type="checkbox" disabled checked \/> uno<\/label><\/p>\s*<\/li>/);
    expect(loose).toMatch(/<li class="task-list-item"><p><label><input type="checkbox" disabled \/> dos<\/label><\/p>\s*<\/li>/);
    const nested = (await preview('- [ ] padre\n  - [x] hijo')).html;
    expect(nested).toMatch(/<li class="task-list-item"><label><input type="checkbox" disabled \/> padre<\/label>\s*<ul class="contains-task-list">\s*<li class="task-list-item"><label><input type="checkbox" disabled checked \/> hijo<\/label><\/li>/);
    const numbered = (await preview('3. [X] tercero')).html;
    expect(numbered).toContain('<ol start="3" class="contains-task-list">');
    expect(numbered).toContain('<input type="checkbox" disabled checked />');
  });

  it('leave a post\'s plain text (search, excerpts) without markup', async () => {
    const general = await categoryId(t.app, people.member, 'general');
    const { post } = await startThread(t.app, people.member, { categoryId: general, title: 'Tareas pendientes', body: '- [x] Revisar\n- [ ] Publicar' });
    expect((post as unknown as { html: string }).html).toContain('<input type="checkbox" disabled checked />');
    const db = openTestDb(t);
    try {
      const row = await db.prepare<{ text: string }>('select text from posts where id = ?').get(post.id);
      expect(row?.text).toBe('Revisar Publicar');
    } finally {
      await db.close();
    }
  });
});

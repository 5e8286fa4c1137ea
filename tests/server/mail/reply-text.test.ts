import { describe, expect, it } from 'vitest';
import { stripReply } from '../../../server/plugins/mail/reply-text.js';
import { REPLY_FIXTURES } from '../../fixtures/mail-replies.js';

const ADDRESS = 'reply+abcdefghijklmnopqrstuvwxyz234567@reply.concilia.example.org';

describe('stripReply', () => {
  it.each(REPLY_FIXTURES.filter((fixture) => !fixture.htmlOnly).map((fixture) => [fixture.name, fixture] as const))('keeps only what the person wrote: %s', (_name, fixture) => {
    expect(stripReply(fixture.text(ADDRESS))).toBe(fixture.expected);
  });

  it('keeps a person\u2019s own lines that only look like an attribution', () => {
    const text = 'El informe que Juan escribió:\nestá en la biblioteca.\nOn Monday I wrote:\nthe figures are final.';
    expect(stripReply(text)).toBe(text);
  });

  it('keeps a text with no quotation as it is, less trailing blank lines', () => {
    expect(stripReply('\n\nUna línea.\n\nOtra.\n\n\n')).toBe('Una línea.\n\nOtra.');
  });

  it('gives nothing for a reply that only quotes', () => {
    expect(stripReply('> Hola\n> ¿Qué tal?\n')).toBe('');
  });
});

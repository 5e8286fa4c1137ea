import fp from 'fastify-plugin';
import { MarkdownRenderer } from './render.js';

export type { MentionResolver, Mentions, RenderedMarkdown } from './render.js';
export { mentionCandidates } from './render.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Markdown to sanitized HTML (and plain text, and mentions); used at write time by every feature. */
    markdown: MarkdownRenderer;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('markdown', new MarkdownRenderer());
  },
  { name: 'markdown' },
);

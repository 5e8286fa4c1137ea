import { Type, type Static } from 'typebox';
import { Timestamp } from '../../shared/schemas.js';

/**
 * One line of a section (docs/home-api.md, "HomeItem"). Fields a line has no use for are left out
 * rather than null: the answer is asked for on every look and live change, and optional fields
 * cost its serializer a tenth of what nullable ones did.
 */
export const HomeItemSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  path: Type.String(),
  title: Type.String(),
  titles: Type.Optional(Type.Object({ es: Type.String(), en: Type.String() })),
  at: Type.Optional(Timestamp),
  endsAt: Type.Optional(Timestamp),
  timeZone: Type.Optional(Type.String()),
  count: Type.Optional(Type.Integer()),
  actor: Type.Optional(Type.String()),
  excerpt: Type.Optional(Type.String()),
  number: Type.Optional(Type.Integer()),
  state: Type.Optional(Type.String()),
});

export const HomeSectionSchema = Type.Object({
  id: Type.String(),
  count: Type.Integer({ minimum: 0 }),
  items: Type.Array(HomeItemSchema),
  seeAllPath: Type.String(),
  /** True when this section could not be worked out this time (the others still are). */
  failed: Type.Boolean(),
});

export const HomeSchema = Type.Object({
  sections: Type.Array(HomeSectionSchema),
  /** Where "new since your last visit" begins. */
  since: Timestamp,
  /** The live topics to follow and the event types after which the home is worth asking for again. */
  live: Type.Object({ topics: Type.Array(Type.String()), events: Type.Array(Type.String()) }),
  /**
   * What is new and waiting in the person's other groups, labelled with the group: each section's
   * count there (those with none left out), for a line per group that leads to its home. Empty for
   * a person of one group. Not followed live: the socket works in the page's group.
   */
  elsewhere: Type.Array(
    Type.Object({
      group: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
      sections: Type.Array(Type.Object({ id: Type.String(), count: Type.Integer({ minimum: 1 }) })),
    }),
  ),
});
export type HomeView = Static<typeof HomeSchema>;

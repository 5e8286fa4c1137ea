import { Type, type Static } from 'typebox';
import { Timestamp } from '../../shared/schemas.js';

/** One line of a section (docs/home-api.md, "HomeItem"). */
export const HomeItemSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  path: Type.String(),
  title: Type.String(),
  titles: Type.Union([Type.Object({ es: Type.String(), en: Type.String() }), Type.Null()]),
  at: Type.Union([Timestamp, Type.Null()]),
  endsAt: Type.Union([Timestamp, Type.Null()]),
  timeZone: Type.Union([Type.String(), Type.Null()]),
  count: Type.Union([Type.Integer(), Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  excerpt: Type.Union([Type.String(), Type.Null()]),
  number: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.Union([Type.String(), Type.Null()]),
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
});
export type HomeView = Static<typeof HomeSchema>;

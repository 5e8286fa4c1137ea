import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** "<kind>:<id>": the kind is a registered topic kind, the id whatever that kind names things by. */
export const Topic = Type.String({ minLength: 3, maxLength: 200, pattern: '^[a-z][a-z0-9-]*:[^\\s]+$' });

/** At most this many topics in one subscribe or unsubscribe message. */
export const MAX_TOPICS_PER_MESSAGE = 50;

const Topics = Type.Array(Topic, { minItems: 1, maxItems: MAX_TOPICS_PER_MESSAGE });

export const SubscribeMessage = Type.Object(
  {
    type: Type.Literal('subscribe'),
    topics: Topics,
    /** The last event id this page received; events of these topics after it are replayed first. */
    lastEventId: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const UnsubscribeMessage = Type.Object({ type: Type.Literal('unsubscribe'), topics: Topics }, { additionalProperties: false });

/** "I am reading this topic": repeated by the page while it is open, or the presence expires. */
export const PresenceMessage = Type.Object({ type: Type.Literal('presence'), topic: Topic }, { additionalProperties: false });

/** "I am writing a reply here"; the server throttles and relays it to the topic's other readers. */
export const TypingMessage = Type.Object({ type: Type.Literal('typing'), topic: Topic }, { additionalProperties: false });

export const ClientMessage = Type.Union([SubscribeMessage, UnsubscribeMessage, PresenceMessage, TypingMessage]);
export type ClientMessage = Static<typeof ClientMessage>;

const validator = Compile(ClientMessage);

/** The message, if the text is JSON of one of the client message shapes; null otherwise. */
export function parseClientMessage(text: string): ClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return validator.Check(value) ? (value as ClientMessage) : null;
}

/** Codes of `{ type: 'error', code }` messages the server sends. */
export type LiveErrorCode = 'bad_message' | 'forbidden_topic' | 'not_subscribed' | 'too_many_topics' | 'busy';

/** Live events of the groups feature (see ../../plugins/live/events.ts). */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    /** Internal: a group was created; other processes learn its address. */
    'group.created': { groupId: string };
  }
}

export const GROUP_CREATED = 'group.created';

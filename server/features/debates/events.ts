import type { ReadingChanged, WatchChanged } from './internal-events.js';
import type { PostView, ThreadSummary } from './views.js';

/** The live events of the debates (see server/plugins/live/events.ts). */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    /** On `thread:<id>`: a post as everyone may see it (a hidden one redacted; the full one to moderators and its author). */
    'post.created': { post: PostView };
    'post.updated': { post: PostView };
    /** On `thread:<id>`. */
    'agreement.changed': { postId: string; agreeCount: number };
    /** On `group:<id>`: a thread as a reader who has read nothing of it sees it in a list. */
    'thread.created': { thread: ThreadSummary };
    'thread.updated': { thread: ThreadSummary };
    /** On `thread:<id>`: the outcome pinned at the top of the thread (proposals), and whether it is concluded. */
    'thread.outcome': { threadId: string; outcome: ThreadSummary['outcome']; concluded: ThreadSummary['concluded'] };
    /** On `group:<id>`: a reply changed a thread's counters. */
    'thread.activity': ThreadActivity;
    /** Internal (./internal-events.ts). */
    'debates.reading-changed': ReadingChanged;
    'debates.watch-changed': WatchChanged;
  }
}

export interface ThreadActivity {
  threadId: string;
  lastActivityAt: string;
  replyCount: number;
  participatingCountries: string[];
}

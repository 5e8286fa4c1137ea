import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstUnreadPost, isUnread, ReadTracker, type ReadPosition } from '../../client/features/debates/thread/read-tracking.js';

/** A server that answers each send when told to, and remembers what it was sent. */
function fakeServer() {
  const sent: number[] = [];
  const pending: Array<{ resolve: (read: ReadPosition) => void; reject: (error: unknown) => void }> = [];
  return {
    sent,
    send: (seq: number) => {
      sent.push(seq);
      return new Promise<ReadPosition>((resolve, reject) => pending.push({ resolve, reject }));
    },
    answer: (unreadCount = 0) => pending.shift()!.resolve({ lastReadSeq: sent.at(-1)!, unreadCount }),
    fail: () => pending.shift()!.reject(new Error('network')),
  };
}

describe('the read position of a debate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the highest post seen once scrolling pauses, not each post', async () => {
    const server = fakeServer();
    const tracker = new ReadTracker({ send: server.send, debounceMs: 800 });
    tracker.start(3);
    for (const seq of [4, 6, 5]) {
      tracker.see(seq);
      vi.advanceTimersByTime(300);
    }
    expect(server.sent).toEqual([]);
    vi.advanceTimersByTime(800);
    expect(server.sent).toEqual([6]);
  });

  it('sends nothing for posts already read, and never goes backwards', () => {
    const server = fakeServer();
    const tracker = new ReadTracker({ send: server.send });
    tracker.start(10);
    tracker.see(4);
    tracker.see(10);
    vi.advanceTimersByTime(5_000);
    expect(server.sent).toEqual([]);
    tracker.see(12);
    tracker.flush();
    tracker.see(11);
    tracker.flush();
    expect(server.sent).toEqual([12]);
  });

  it('sends at once when flushed (leaving the page, after the reader’s own reply), and tells the server’s answer', async () => {
    const server = fakeServer();
    const acknowledged = vi.fn();
    const tracker = new ReadTracker({ send: server.send, acknowledged });
    tracker.start(0);
    tracker.see(2);
    tracker.flush();
    expect(server.sent).toEqual([2]);
    server.answer(5);
    await vi.runAllTimersAsync();
    expect(acknowledged).toHaveBeenCalledWith({ lastReadSeq: 2, unreadCount: 5 });
    // The timer the flush replaced does not send again.
    vi.advanceTimersByTime(5_000);
    expect(server.sent).toEqual([2]);
  });

  it('sends the position again with the next post seen after a send failed', async () => {
    const server = fakeServer();
    const tracker = new ReadTracker({ send: server.send });
    tracker.start(1);
    tracker.see(3);
    tracker.flush();
    server.fail();
    await vi.runAllTimersAsync();
    tracker.see(3);
    tracker.flush();
    expect(server.sent).toEqual([3, 3]);
  });

  it('forgets a debate it was told to leave: its pending send is dropped, and a late answer is not reported', async () => {
    const server = fakeServer();
    const acknowledged = vi.fn();
    const tracker = new ReadTracker({ send: server.send, acknowledged });
    tracker.start(0);
    tracker.see(4);
    tracker.flush();
    tracker.see(7);
    tracker.start(2); // another debate
    vi.advanceTimersByTime(5_000);
    server.answer();
    await vi.runAllTimersAsync();
    expect(server.sent).toEqual([4]);
    expect(acknowledged).not.toHaveBeenCalled();
    expect(tracker.seen).toBe(2);
  });
});

describe('the "since your last visit" mark', () => {
  const me = 'me';
  const post = (id: string, seq: number, author = 'other') => ({ id, seq, author: { id: author } });
  const posts = [post('a', 1), post('b', 2), post('c', 3, me), post('d', 4), post('e', 5)];

  it('goes before the first post after where the reader had read, not one of theirs', () => {
    expect(firstUnreadPost(posts, 2, me)).toBe('d');
    expect(firstUnreadPost(posts, 1, me)).toBe('b');
  });

  it('is not shown on a first visit, nor when everything was read', () => {
    expect(firstUnreadPost(posts, 0, me)).toBeNull();
    expect(firstUnreadPost(posts, 5, me)).toBeNull();
  });

  it('marks as new only others’ posts after the position the page opened with', () => {
    expect(posts.filter((p) => isUnread(p, 2, me)).map((p) => p.id)).toEqual(['d', 'e']);
  });
});

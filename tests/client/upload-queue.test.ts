import { describe, expect, it, vi } from 'vitest';
import { UploadQueue, type QueuedFile } from '../../client/features/debates/thread/upload-queue.js';

type FakeFile = { name: string };

/** A send whose answers the test gives, one file at a time. */
function fakeUploads() {
  const started: string[] = [];
  const pending = new Map<string, { resolve: (value: string) => void; reject: (error: unknown) => void }>();
  return {
    started,
    send: (item: QueuedFile<FakeFile>) => {
      started.push(item.file.name);
      return new Promise<string>((resolve, reject) => pending.set(item.file.name, { resolve, reject }));
    },
    succeed: async (name: string) => {
      pending.get(name)!.resolve(`post with ${name}`);
      await flush();
    },
    fail: async (name: string, error: unknown = new Error('too large')) => {
      pending.get(name)!.reject(error);
      await flush();
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const files = (...names: string[]) => names.map((name) => ({ name }));

function queueWith(uploads: ReturnType<typeof fakeUploads>) {
  const sent = vi.fn();
  const failed = vi.fn();
  const changed = vi.fn();
  const queue = new UploadQueue<FakeFile, string>({ send: uploads.send, describe: (error) => (error as Error).message, changed, sent, failed });
  const statuses = () => queue.items.map((item) => `${item.file.name}:${item.status}`);
  return { queue, sent, failed, changed, statuses };
}

describe('the files on their way to posts', () => {
  it('sends one file at a time, in the order chosen, across posts', async () => {
    const uploads = fakeUploads();
    const { queue, sent, statuses } = queueWith(uploads);
    queue.add('p1', files('a.pdf', 'b.csv'));
    queue.add('p2', files('c.png'));
    await flush();
    expect(uploads.started).toEqual(['a.pdf']);
    expect(statuses()).toEqual(['a.pdf:sending', 'b.csv:waiting', 'c.png:waiting']);
    await uploads.succeed('a.pdf');
    expect(uploads.started).toEqual(['a.pdf', 'b.csv']);
    expect(sent).toHaveBeenCalledWith(expect.objectContaining({ postId: 'p1', file: { name: 'a.pdf' } }), 'post with a.pdf');
    await uploads.succeed('b.csv');
    await uploads.succeed('c.png');
    expect(uploads.started).toEqual(['a.pdf', 'b.csv', 'c.png']);
    expect(queue.items).toEqual([]);
    await expect(queue.idle()).resolves.toBeUndefined();
  });

  it('keeps a failed file listed with its reason, and goes on with the next', async () => {
    const uploads = fakeUploads();
    const { queue, failed, statuses } = queueWith(uploads);
    queue.add('p1', files('a.pdf', 'b.csv'));
    await flush();
    await uploads.fail('a.pdf', new Error('This file is too large to attach.'));
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ file: { name: 'a.pdf' } }), 'This file is too large to attach.');
    expect(statuses()).toEqual(['a.pdf:failed', 'b.csv:sending']);
    expect(queue.forPost('p1')[0]!.error).toBe('This file is too large to attach.');
    await uploads.succeed('b.csv');
    expect(statuses()).toEqual(['a.pdf:failed']);
  });

  it('sends a failed file again on request, after those already waiting', async () => {
    const uploads = fakeUploads();
    const { queue, statuses } = queueWith(uploads);
    queue.add('p1', files('a.pdf', 'b.csv'));
    await flush();
    await uploads.fail('a.pdf');
    queue.retry(queue.items[0]!.key);
    expect(statuses()).toEqual(['a.pdf:waiting', 'b.csv:sending']);
    await uploads.succeed('b.csv');
    expect(uploads.started).toEqual(['a.pdf', 'b.csv', 'a.pdf']);
    await uploads.succeed('a.pdf');
    expect(queue.items).toEqual([]);
  });

  it('starts again when a file is retried after everything had stopped', async () => {
    const uploads = fakeUploads();
    const { queue } = queueWith(uploads);
    queue.add('p1', files('a.pdf'));
    await flush();
    await uploads.fail('a.pdf');
    await queue.idle();
    queue.retry(queue.items[0]!.key);
    await flush();
    expect(uploads.started).toEqual(['a.pdf', 'a.pdf']);
  });

  it('forgets a dismissed file, and every file once cleared (a file under way does not come back)', async () => {
    const uploads = fakeUploads();
    const { queue, sent, statuses } = queueWith(uploads);
    queue.add('p1', files('a.pdf', 'b.csv', 'c.png'));
    await flush();
    await uploads.fail('a.pdf');
    queue.dismiss(queue.items[0]!.key);
    expect(statuses()).toEqual(['b.csv:sending', 'c.png:waiting']);
    queue.clear();
    await uploads.succeed('b.csv');
    expect(queue.items).toEqual([]);
    expect(sent).not.toHaveBeenCalled();
    expect(uploads.started).toEqual(['a.pdf', 'b.csv']);
  });

  it('counts the room left on a post with the files on their way, not the failed ones', async () => {
    const uploads = fakeUploads();
    const { queue } = queueWith(uploads);
    queue.add('p1', files('a.pdf', 'b.csv'));
    queue.add('p2', files('c.png'));
    await flush();
    expect(queue.room('p1', 3, 10)).toBe(5);
    await uploads.fail('a.pdf');
    expect(queue.room('p1', 3, 10)).toBe(6);
    expect(queue.room('p2', 0, 10)).toBe(9);
  });

  it('tells its host of every change, so the statuses show', async () => {
    const uploads = fakeUploads();
    const { queue, changed } = queueWith(uploads);
    queue.add('p1', files('a.pdf'));
    await flush();
    const before = changed.mock.calls.length;
    await uploads.succeed('a.pdf');
    expect(changed.mock.calls.length).toBeGreaterThan(before);
  });
});

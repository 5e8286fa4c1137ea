import type { ReactiveController } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UploadOptions } from '../../client/app/api.js';
import { UploadController } from '../../client/controllers/upload-controller.js';

/**
 * One upload with progress and cancelling (client/controllers/upload-controller.ts), on its own: a
 * host that counts its updates, a window that is a real EventTarget (the warning before closing the
 * tab is a listener on it), and a send the test drives.
 */

function setUp() {
  const win = new EventTarget();
  vi.stubGlobal('window', win);
  const host = {
    updates: 0,
    controllers: [] as ReactiveController[],
    addController(controller: ReactiveController) {
      this.controllers.push(controller);
    },
    requestUpdate() {
      this.updates++;
    },
  };
  const upload = new UploadController(host as never);
  let options: UploadOptions | undefined;
  let finish: (value: string) => void = () => undefined;
  const sent = upload.run(
    (given) =>
      new Promise<string>((resolve, reject) => {
        options = given;
        finish = resolve;
        given.signal?.addEventListener('abort', () => reject(new DOMException('The upload was cancelled.', 'AbortError')));
      }),
  );
  /** Whether leaving the page now is held back (the browser's "leave this page?" question). */
  const leavingIsHeld = () => {
    const event = new Event('beforeunload', { cancelable: true });
    win.dispatchEvent(event);
    return event.defaultPrevented;
  };
  return { host, upload, sent, progress: (done: number, total: number) => options!.onProgress!(done, total), finish: (value: string) => finish(value), signal: () => options!.signal!, leavingIsHeld };
}

describe('a file upload', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows its progress, and says it aloud only at each quarter, not at every percent', async () => {
    const { upload, progress, finish, sent } = setUp();
    expect(upload.active).toBe(true);
    expect(upload.announcement).toBe('Uploading the file…');
    const said: string[] = [];
    for (let done = 0; done <= 1000; done += 50) {
      progress(done, 1000);
      if (said.at(-1) !== upload.announcement) said.push(upload.announcement);
    }
    expect(upload.percent).toBe(100);
    expect(said).toEqual(['Uploading the file…', 'Uploading: 25%', 'Uploading: 50%', 'Uploading: 75%', 'File sent; the server is checking it…']);
    finish('stored');
    await expect(sent).resolves.toBe('stored');
    expect(upload.active).toBe(false);
    expect(upload.announcement).toBe('');
  });

  it('holds back closing the tab while it runs, and no longer once it is done', async () => {
    const { leavingIsHeld, finish, sent } = setUp();
    expect(leavingIsHeld()).toBe(true);
    finish('stored');
    await sent;
    expect(leavingIsHeld()).toBe(false);
  });

  it('is cancelled by the reader: the send is aborted, the run rejects as aborted, and the page may be left', async () => {
    const { upload, signal, sent, leavingIsHeld } = setUp();
    upload.cancel();
    expect(signal().aborted).toBe(true);
    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
    expect(upload.active).toBe(false);
    expect(leavingIsHeld()).toBe(false);
  });

  it('is cancelled when its view goes away, since nothing would be left to show the outcome', async () => {
    const { host, signal, sent } = setUp();
    for (const controller of host.controllers) controller.hostDisconnected?.();
    expect(signal().aborted).toBe(true);
    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('asks its host to show each change: start, progress and end', async () => {
    const { host, progress, finish, sent } = setUp();
    const atStart = host.updates;
    expect(atStart).toBe(1);
    progress(10, 100);
    progress(20, 100);
    expect(host.updates).toBe(3);
    finish('ok');
    await sent;
    expect(host.updates).toBe(4);
  });
});

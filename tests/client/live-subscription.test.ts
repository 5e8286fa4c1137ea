import type { ReactiveController } from 'lit';
import { describe, expect, it } from 'vitest';
import type { LiveConnection, LiveTopicListener, LiveTopicMessage } from '../../client/app/live-connection.js';
import { LiveSubscriptionController } from '../../client/controllers/live-subscription-controller.js';

/**
 * How a page follows live topics (client/controllers/live-subscription-controller.ts), on its own,
 * over a connection that records what it is asked: topics follow the host's properties, nothing is
 * followed while the host is out of the document, presence is announced and withdrawn with the
 * subscription, and each message reaches the page.
 */

function fakeConnection() {
  const listeners = new Map<string, LiveTopicListener>();
  const present = new Set<string>();
  const log: string[] = [];
  const connection = {
    subscribe(topic: string, listener: LiveTopicListener) {
      listeners.set(topic, listener);
      log.push(`subscribe ${topic}`);
      return () => {
        listeners.delete(topic);
        log.push(`unsubscribe ${topic}`);
      };
    },
    announcePresence(topic: string) {
      present.add(topic);
      log.push(`present ${topic}`);
      return () => {
        present.delete(topic);
        log.push(`absent ${topic}`);
      };
    },
  };
  const deliver = (message: LiveTopicMessage) => listeners.get(message.topic)?.(message);
  return { connection: connection as unknown as LiveConnection, listeners, present, log, deliver };
}

function setUp(presence = false) {
  const live = fakeConnection();
  const host = {
    threadId: 'a',
    controllers: [] as ReactiveController[],
    addController(controller: ReactiveController) {
      this.controllers.push(controller);
    },
    requestUpdate() {},
    connect() {
      for (const controller of this.controllers) controller.hostConnected?.();
    },
    update() {
      for (const controller of this.controllers) controller.hostUpdate?.();
    },
    disconnect() {
      for (const controller of this.controllers) controller.hostDisconnected?.();
    },
  };
  const received: LiveTopicMessage[] = [];
  const controller = new LiveSubscriptionController(host as never, {
    topics: () => (host.threadId ? [`thread:${host.threadId}`, 'category:7'] : []),
    onMessage: (message) => received.push(message),
    presence,
    connection: live.connection,
  });
  return { live, host, controller, received };
}

describe('a page following live topics', () => {
  it('follows nothing until its host is in the document, then its topics, once each', () => {
    const { live, host, controller } = setUp();
    host.update();
    expect(live.log).toEqual([]);
    host.connect();
    host.update();
    host.update();
    expect(controller.topics).toEqual(['thread:a', 'category:7']);
    expect(live.log).toEqual(['subscribe thread:a', 'subscribe category:7']);
  });

  it('moves to the new topic when the host’s property changes, keeping the one still wanted', () => {
    const { live, host, controller } = setUp();
    host.connect();
    live.log.length = 0;
    host.threadId = 'b';
    host.update();
    expect(live.log).toEqual(['unsubscribe thread:a', 'subscribe thread:b']);
    expect(controller.topics.sort()).toEqual(['category:7', 'thread:b']);
    host.threadId = '';
    host.update();
    expect(controller.topics).toEqual([]);
    expect([...live.listeners.keys()]).toEqual([]);
  });

  it('releases everything when the host leaves the document, and follows again when it comes back', () => {
    const { live, host, controller } = setUp();
    host.connect();
    host.disconnect();
    expect(controller.topics).toEqual([]);
    expect([...live.listeners.keys()]).toEqual([]);
    host.update();
    expect([...live.listeners.keys()]).toEqual([]);
    host.connect();
    expect([...live.listeners.keys()].sort()).toEqual(['category:7', 'thread:a']);
  });

  it('announces the reader’s presence with each topic and withdraws it with the subscription', () => {
    const { live, host } = setUp(true);
    host.connect();
    expect([...live.present].sort()).toEqual(['category:7', 'thread:a']);
    host.threadId = 'b';
    host.update();
    expect([...live.present].sort()).toEqual(['category:7', 'thread:b']);
    host.disconnect();
    expect([...live.present]).toEqual([]);
    // Presence goes before the subscription, so the server never sees a reader it no longer sends to.
    expect(live.log.slice(-2)).toEqual(['absent thread:b', 'unsubscribe thread:b']);
  });

  it('hands every message of its topics to the page, and none once a topic is left', () => {
    const { live, host, received } = setUp();
    host.connect();
    live.deliver({ type: 'event', id: 1, topic: 'thread:a', event: 'post.created', payload: {} as never }); // the payload is not what this test is about
    live.deliver({ type: 'resync', topic: 'category:7' });
    host.threadId = 'b';
    host.update();
    live.deliver({ type: 'event', id: 2, topic: 'thread:a', event: 'post.created', payload: {} as never }); // the payload is not what this test is about
    expect(received.map((message) => `${message.type} ${message.topic}`)).toEqual(['event thread:a', 'resync category:7']);
  });
});

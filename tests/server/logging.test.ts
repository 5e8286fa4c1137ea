import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { ADMIN, ORIGIN, request, sessionCookie, setUpGroup } from '../helper.js';
import { lastSegment, tokenOf } from './support.js';

let app: FastifyInstance;
let dataDir: string;
let captured = '';

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-logs-'));
  // The most talkative level: a secret that leaks at any level leaks here.
  const base = loggerOptions('trace');
  if (typeof base !== 'object' || base === null) throw new Error('loggerOptions should give pino options');
  const stream = new Writable({
    write(chunk, _encoding, done) {
      captured += String(chunk);
      done();
    },
  });
  app = await buildApp(loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: ORIGIN, LOG_LEVEL: 'trace' }), { logger: { ...base, stream } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the log', () => {
  it('records the requests but none of the passwords, session tokens, invitation or reset tokens', async () => {
    const secrets: Record<string, string> = { 'admin password': ADMIN.password };

    const adminCookie = await setUpGroup(app);
    secrets['set-up session token'] = tokenOf(adminCookie);

    const signedIn = await request(app, { method: 'POST', url: '/api/auth/login', payload: { email: ADMIN.email, password: ADMIN.password } });
    secrets['login session token'] = tokenOf(sessionCookie(signedIn));
    await request(app, { method: 'POST', url: '/api/auth/login', payload: { email: ADMIN.email, password: 'a-wrong-guess-1234' } });
    secrets['wrong password'] = 'a-wrong-guess-1234';

    const invited = await request(app, { method: 'POST', url: '/api/invitations', cookie: adminCookie, payload: { email: 'logged@example.org', role: 'member', countryId: 'cl' } });
    expect(invited.statusCode).toBe(201);
    const invitationToken = lastSegment(invited.json().acceptUrl);
    secrets['invitation token'] = invitationToken;
    expect((await request(app, { url: `/api/invitations/${invitationToken}` })).statusCode).toBe(200);

    const inviteePassword = 'invitee-secret-passphrase';
    secrets['invitee password'] = inviteePassword;
    const accepted = await request(app, {
      method: 'POST',
      url: `/api/invitations/${invitationToken}/accept`,
      payload: { displayName: 'Logged Person', password: inviteePassword, locale: 'es', timeZone: 'America/Santiago' },
    });
    expect(accepted.statusCode).toBe(201);
    const inviteeCookie = sessionCookie(accepted);
    secrets['invitee session token'] = tokenOf(inviteeCookie);
    // Failing requests are logged too ("request refused"): one carrying a password in a bad body.
    await request(app, { method: 'POST', url: `/api/invitations/${invitationToken}/accept`, payload: { displayName: 'Again', password: inviteePassword, locale: 'es', timeZone: 'America/Santiago' } });
    await request(app, { method: 'POST', url: '/api/auth/login', payload: `{"email":"${ADMIN.email}","password":"${inviteePassword}"`, headers: { 'content-type': 'application/json' } });

    const reset = await request(app, { method: 'POST', url: `/api/admin/users/${accepted.json().user.id}/password-reset`, cookie: adminCookie });
    const resetToken = lastSegment(reset.json().url);
    secrets['reset token'] = resetToken;
    const resetPassword = 'reset-secret-passphrase';
    secrets['reset password'] = resetPassword;
    expect((await request(app, { method: 'POST', url: `/api/auth/password-resets/${resetToken}`, payload: { password: resetPassword } })).statusCode).toBe(200);

    const changed = 'changed-secret-passphrase';
    secrets['changed password'] = changed;
    const changeResponse = await request(app, { method: 'POST', url: '/api/auth/password', cookie: adminCookie, payload: { currentPassword: ADMIN.password, newPassword: changed } });
    expect(changeResponse.statusCode).toBe(200);
    secrets['session token after password change'] = tokenOf(sessionCookie(changeResponse));
    await request(app, { method: 'POST', url: '/api/auth/logout', cookie: sessionCookie(changeResponse) });

    // The capture works and saw these requests, with the token paths masked.
    expect(captured).toContain('"msg":"incoming request"');
    expect(captured).toContain('"msg":"signed in"');
    expect(captured).toContain('"msg":"request refused"');
    expect(captured).toContain('/api/invitations/[token]/accept');
    expect(captured).toContain('/api/auth/password-resets/[token]');

    const leaked = Object.entries(secrets).filter(([, secret]) => captured.includes(secret));
    expect(leaked.map(([name]) => name)).toEqual([]);
    // Nor the session cookie header, under any name.
    expect(captured).not.toMatch(/concilia_session=/);
  });
});

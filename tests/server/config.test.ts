import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { projectRoot } from '../../server/shared/paths.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has safe defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.databaseFile).toBe(path.join(path.resolve('data'), 'concilia.db'));
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(config.secureCookies).toBe(false);
    expect(config.logLevel).toBe('info');
    expect(config.trustProxy).toBe(false);
    expect(config.invitationTtlDays).toBe(7);
    expect(config.passwordResetTtlHours).toBe(24);
    expect(config.loginThrottle).toEqual({ maxPerAccount: 5, maxPerAddress: 20, windowMinutes: 15 });
    expect(config.liveEventRetentionHours).toBe(72);
    expect(config.liveHeartbeatSeconds).toBe(30);
    expect(config.clientDir).toBeNull();
  });

  it('treats empty values as unset and ignores unrelated variables', () => {
    const config = loadConfig({ PORT: '', HOST: '', PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'production' });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/concilia',
      PUBLIC_URL: 'https://foro.example.org/',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      INVITATION_TTL_DAYS: '14',
      PASSWORD_RESET_TTL_HOURS: '2',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '7',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
      LOGIN_FAILURE_WINDOW_MINUTES: '30',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/concilia',
      databaseFile: '/var/lib/concilia/concilia.db',
      publicUrl: 'https://foro.example.org',
      secureCookies: true,
      logLevel: 'warn',
      trustProxy: '10.0.0.0/8, 127.0.0.1',
      invitationTtlDays: 14,
      passwordResetTtlHours: 2,
      loginThrottle: { maxPerAccount: 7, maxPerAddress: 50, windowMinutes: 30 },
    });
  });

  it('derives the public URL from HOST and PORT, bracketing an IPv6 host', () => {
    expect(loadConfig({ HOST: '::1', PORT: '4000' }).publicUrl).toBe('http://[::1]:4000');
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });

  it('lets the caller override derived settings', () => {
    expect(loadConfig({}, { clientDir: '/srv/client' }).clientDir).toBe('/srv/client');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'ftp://example.org'],
    ['PUBLIC_URL', 'example.org'],
    ['TRUST_PROXY', 'everyone please'],
    ['INVITATION_TTL_DAYS', '0'],
    ['INVITATION_TTL_DAYS', '91'],
    ['PASSWORD_RESET_TTL_HOURS', '169'],
    ['LOGIN_MAX_FAILURES_PER_ACCOUNT', '0'],
    ['LOGIN_MAX_FAILURES_PER_ADDRESS', 'many'],
    ['LOGIN_FAILURE_WINDOW_MINUTES', '-5'],
    ['LIVE_EVENT_RETENTION_HOURS', '0'],
    ['LIVE_EVENT_RETENTION_HOURS', 'forever'],
    ['LIVE_HEARTBEAT_SECONDS', '1'],
  ])('refuses %s=%s with a ConfigError naming it', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(`${name}=${JSON.stringify(value)}`);
    expect(error.message).toContain('README.md');
  });

  it('sends no mail by default, and names the sender after the site', () => {
    expect(loadConfig({}).mail).toEqual({ smtp: null, from: { name: 'Concilia', address: 'concilia@localhost' }, inbound: null });
    expect(loadConfig({ PUBLIC_URL: 'https://foro.example.org' }).mail.from).toEqual({ name: 'Concilia', address: 'concilia@foro.example.org' });
  });

  it('reads the mail settings', () => {
    const config = loadConfig({
      SMTP_URL: 'smtp://concilia%40example.org:p%40ss%3Aword@mail.example.org?starttls=required',
      MAIL_FROM: '"Foro Concilia" <foro@example.org>',
      INBOUND_SMTP_PORT: '2525',
      INBOUND_MAX_MB: '10',
    });
    expect(config.mail).toEqual({
      smtp: { host: 'mail.example.org', port: 587, secure: false, requireTls: true, auth: { user: 'concilia@example.org', pass: 'p@ss:word' }, display: 'smtp://concilia%40example.org:***@mail.example.org?starttls=required' },
      from: { name: 'Foro Concilia', address: 'foro@example.org' },
      inbound: { host: '127.0.0.1', port: 2525, replyDomain: 'example.org', maxBytes: 10 * 1024 * 1024 },
    });
    const secure = loadConfig({ SMTP_URL: 'smtps://relay.example.org', MAIL_FROM: 'foro@example.org', MAIL_REPLY_DOMAIN: 'Reply.Example.org', INBOUND_SMTP_PORT: '25', INBOUND_SMTP_HOST: '::1' });
    expect(secure.mail.smtp).toMatchObject({ host: 'relay.example.org', port: 465, secure: true, auth: null });
    expect(secure.mail.from).toEqual({ name: '', address: 'foro@example.org' });
    expect(secure.mail.inbound).toMatchObject({ host: '::1', port: 25, replyDomain: 'reply.example.org' });
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example.org', MAIL_FROM: 'a@example.org' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://', MAIL_FROM: 'a@example.org' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://mail.example.org/path', MAIL_FROM: 'a@example.org' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://mail.example.org?pool=true', MAIL_FROM: 'a@example.org' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtps://mail.example.org?starttls=required', MAIL_FROM: 'a@example.org' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://mail.example.org' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'Foro <foro@example.org>\r\nBcc: x@example.org' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'Foro <foro@example.org' }, 'MAIL_FROM'],
    [{ MAIL_REPLY_DOMAIN: 'not a domain' }, 'MAIL_REPLY_DOMAIN'],
    [{ INBOUND_SMTP_PORT: '2525' }, 'INBOUND_SMTP_PORT'],
    [{ INBOUND_SMTP_PORT: '70000', MAIL_FROM: 'a@example.org' }, 'INBOUND_SMTP_PORT'],
    [{ INBOUND_MAX_MB: '0' }, 'INBOUND_MAX_MB'],
  ])('refuses the mail settings %j, naming %s', (env, name) => {
    const error = configError(env as Record<string, string>);
    expect(error.message).toContain(`${name}=`);
    expect(error.message.split('\n').filter((line) => line.startsWith('  '))).toHaveLength(1);
  });

  it('names every bad variable at once, and no good one', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', INVITATION_TTL_DAYS: '0', HOST: 'localhost', PUBLIC_URL: 'https://ok.example.org' });
    for (const name of ['PORT', 'LOG_LEVEL', 'INVITATION_TTL_DAYS']) expect(error.message).toContain(`${name}=`);
    for (const name of ['HOST', 'PUBLIC_URL']) expect(error.message).not.toContain(`${name}=`);
    expect(error.message.split('\n').filter((line) => line.startsWith('  '))).toHaveLength(3);
  });

  it('takes DATABASE_URL for PostgreSQL, and no setting for the SQLite file', () => {
    expect(loadConfig({}).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: 'postgres://concilia:secret@db.example.org:5432/concilia' }).databaseUrl).toBe('postgres://concilia:secret@db.example.org:5432/concilia');
    expect(loadConfig({ DATABASE_URL: 'postgresql://concilia@127.0.0.1/forum?sslmode=require' }).databaseUrl).toBe('postgresql://concilia@127.0.0.1/forum?sslmode=require');
  });

  it.each([
    ['mysql://concilia:hunter22@db.example.org/concilia', 'postgres://'],
    ['sqlite:./data/concilia.db', 'postgres://'],
    ['concilia.db', 'not a URL'],
    ['postgres://concilia:hunter22@db.example.org', 'names no database'],
  ])('refuses DATABASE_URL=%s, without showing its password', (value, reason) => {
    const error = configError({ DATABASE_URL: value });
    expect(error.message).toContain('DATABASE_URL=');
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain('hunter22');
  });

  it('npm start on a PostgreSQL that does not answer says so in one line, without the password', async () => {
    const started = promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: 'postgres://concilia:hunter22@127.0.0.1:1/concilia', PORT: '1', LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    const failure = (await started.then(() => null, (error: unknown) => error)) as { code: number; stderr: string } | null;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('DATABASE_URL=postgres://concilia:***@127.0.0.1:1/concilia: PostgreSQL could not be reached');
    expect(failure?.stderr).not.toContain('hunter22');
    expect(failure?.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});

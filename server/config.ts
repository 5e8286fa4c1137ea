import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { isDomainName, parseNamedAddress, type NamedAddress } from './shared/mail-address.js';

/**
 * Every setting the server reads from the environment, with safe defaults.
 * README.md ("Configuration") documents each one; keep the two in step.
 */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  DATABASE_URL: Type.Optional(Type.String({ maxLength: 2000 })),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(/.*)?$' })),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  TRUST_PROXY: Type.Union([Type.Boolean(), Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9a-fA-F.:/, ]+$' })], { default: false }),
  INVITATION_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 90, default: 7 }),
  PASSWORD_RESET_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 168, default: 24 }),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: Type.Integer({ minimum: 1, default: 5 }),
  LOGIN_MAX_FAILURES_PER_ADDRESS: Type.Integer({ minimum: 1, default: 20 }),
  LOGIN_FAILURE_WINDOW_MINUTES: Type.Integer({ minimum: 1, default: 15 }),
  LIVE_EVENT_RETENTION_HOURS: Type.Integer({ minimum: 1, maximum: 720, default: 72 }),
  LIVE_HEARTBEAT_SECONDS: Type.Integer({ minimum: 5, maximum: 300, default: 30 }),
  MAX_UPLOAD_MB: Type.Integer({ minimum: 1, maximum: 2048, default: 100 }),
  MAX_TEXT_EXTRACTION_MB: Type.Integer({ minimum: 0, maximum: 500, default: 25 }),
  DOCUMENT_TRASH_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  AUDIT_RETENTION_DAYS: Type.Integer({ minimum: 30, maximum: 3650, default: 730 }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://', maxLength: 2000 })),
  MAIL_FROM: Type.Optional(Type.String({ minLength: 3, maxLength: 300 })),
  MAIL_REPLY_DOMAIN: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  INBOUND_SMTP_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  INBOUND_SMTP_HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  INBOUND_MAX_MB: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
});

type Env = Static<typeof EnvSchema>;

/** Where outgoing mail goes: SMTP_URL taken apart. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** smtps://: TLS from the first byte (port 465). smtp:// upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  /** smtp://...?starttls=required: refuse to send over a connection STARTTLS did not protect. */
  requireTls: boolean;
  auth: { user: string; pass: string } | null;
  /** The URL with its password masked, for logs. */
  display: string;
}

export interface MailSettings {
  /** null: nothing is sent; the outbox keeps every message, and administrators read them there. */
  smtp: SmtpSettings | null;
  from: NamedAddress;
  /** The inbound SMTP listener for replies (reply+<token>@replyDomain); null when off. */
  inbound: { host: string; port: number; replyDomain: string; maxBytes: number } | null;
}

/** How the outbox is worked; fixed in production, shortened by tests. */
export interface MailWorkerSettings {
  /** First retry after this long, doubling each attempt up to capMs, each delay jittered (half to all of it). */
  retryBaseMs: number;
  retryCapMs: number;
  /** After this many attempts a message is marked failed, with the last error, for an administrator to retry. */
  maxAttempts: number;
  /** A message being sent is leased for this long; a sender that died leaves it to be taken again after. */
  leaseMs: number;
  /** At most this many messages are handed to the SMTP server at once. */
  maxInFlight: number;
}

export const DEFAULT_MAIL_WORKER: MailWorkerSettings = { retryBaseMs: 60_000, retryCapMs: 60 * 60_000, maxAttempts: 12, leaseMs: 5 * 60_000, maxInFlight: 4 };

const SMTP_QUERY: Record<string, Record<string, (settings: SmtpSettings) => void>> = {
  starttls: { required: (settings) => (settings.requireTls = true), optional: () => {} },
};

/** SMTP_URL taken apart, or the reason it cannot be. */
export function parseSmtpUrl(value: string): SmtpSettings | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL (smtp://user:password@host:port or smtps://...)';
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return 'must start with smtp:// or smtps://';
  if (!url.hostname) return 'names no host';
  if (url.pathname !== '' && url.pathname !== '/') return 'must not have a path';
  if (url.hash) return 'must not have a fragment';
  const secure = url.protocol === 'smtps:';
  const settings: SmtpSettings = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTls: false,
    auth: null,
    display: '',
  };
  try {
    if (url.username) settings.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  } catch {
    return 'has a user name or password that is not properly percent-encoded';
  }
  for (const [key, option] of url.searchParams) {
    const apply = SMTP_QUERY[key]?.[option];
    if (!apply) return `does not understand "?${key}=${option}" (only ?starttls=required or ?starttls=optional)`;
    if (secure && key === 'starttls') return 'smtps:// is TLS already; starttls applies to smtp:// only';
    apply(settings);
  }
  const masked = new URL(url.href);
  if (masked.password) masked.password = '***';
  settings.display = masked.href;
  return settings;
}

/** Why DATABASE_URL cannot name a PostgreSQL database, or null when it can. */
export function databaseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL (postgres://user:password@host:5432/database); leave it unset for the SQLite file in DATA_DIR';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'must start with postgres:// or postgresql:// (leave it unset for the SQLite file in DATA_DIR)';
  if (url.pathname.replace(/^\//, '') === '') return 'names no database (postgres://user:password@host:5432/database)';
  return null;
}

/** The mail settings, or the problems with them keyed by variable name. */
function mailSettings(env: Env, publicUrl: string): MailSettings | Map<string, string> {
  const problems = new Map<string, string>();
  let smtp: SmtpSettings | null = null;
  if (env.SMTP_URL !== undefined) {
    const parsed = parseSmtpUrl(env.SMTP_URL);
    if (typeof parsed === 'string') problems.set('SMTP_URL', parsed);
    else smtp = parsed;
  }
  let from: NamedAddress | null = null;
  if (env.MAIL_FROM !== undefined) {
    from = parseNamedAddress(env.MAIL_FROM);
    if (!from) problems.set('MAIL_FROM', 'must be an address, with a display name or not: Concilia <foro@example.org>');
  } else if (env.SMTP_URL !== undefined) {
    problems.set('MAIL_FROM', 'is needed when SMTP_URL is set (the address mail is sent from, e.g. Concilia <foro@example.org>)');
  }
  if (env.MAIL_REPLY_DOMAIN !== undefined && !isDomainName(env.MAIL_REPLY_DOMAIN)) problems.set('MAIL_REPLY_DOMAIN', 'must be a domain name, e.g. reply.example.org');
  let inbound: MailSettings['inbound'] = null;
  if (env.INBOUND_SMTP_PORT !== undefined) {
    const replyDomain = env.MAIL_REPLY_DOMAIN ?? (from ? from.address.slice(from.address.lastIndexOf('@') + 1) : undefined);
    if (replyDomain === undefined) problems.set('INBOUND_SMTP_PORT', 'needs MAIL_REPLY_DOMAIN (or MAIL_FROM) for the reply+<token>@<domain> addresses');
    else inbound = { host: env.INBOUND_SMTP_HOST, port: env.INBOUND_SMTP_PORT, replyDomain: replyDomain.toLowerCase(), maxBytes: env.INBOUND_MAX_MB * 1024 * 1024 };
  }
  if (problems.size > 0) return problems;
  // Unset and unsent: the outbox still needs a From to show. The site's host names it.
  const host = new URL(publicUrl).hostname;
  const named = isDomainName(host) && !/^[\d.]+$/.test(host);
  return { smtp, from: from ?? { name: 'Concilia', address: `concilia@${named ? host : 'localhost'}` }, inbound };
}

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Path of the SQLite file, or ':memory:'. */
  databaseFile: string;
  /**
   * DATABASE_URL: the PostgreSQL database (postgres:// or postgresql://), or null for the SQLite file.
   */
  databaseUrl: string | null;
  /** Origin the browser sees (scheme, host, port); derived from HOST/PORT when PUBLIC_URL is unset. */
  publicUrl: string;
  secureCookies: boolean;
  logLevel: string;
  /** true, a hop count, or the proxies' addresses (comma-separated). */
  trustProxy: boolean | number | string;
  invitationTtlDays: number;
  passwordResetTtlHours: number;
  loginThrottle: { maxPerAccount: number; maxPerAddress: number; windowMinutes: number };
  /** How long live events are kept for clients that reconnect and replay what they missed. */
  liveEventRetentionHours: number;
  /** Interval of WebSocket pings; a peer that has not answered the previous one is dropped. Tests override it with fractions. */
  liveHeartbeatSeconds: number;
  /** Largest file accepted by an upload, in bytes. */
  maxUploadBytes: number;
  /** Files up to this size have their text extracted for search (0: none). */
  maxTextExtractionBytes: number;
  /** How long deleted documents stay restorable in the trash before they are purged. */
  documentTrashDays: number;
  /** How long the audit log keeps an entry, whatever became of its subject. */
  auditRetentionDays: number;
  mail: MailSettings;
  mailWorker: MailWorkerSettings;
  /** Built client (index.html and hashed assets); absent in API-only tests. */
  clientDir: string | null;
  /** The clock of scheduled work and of meeting times (reminders, "upcoming"); tests replace it. */
  now: () => Date;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function coerce(raw: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    if (/^\d+$/.test(value)) out[key] = Number(value); // TRUST_PROXY=1 means "one proxy hop", as in Fastify
    else if (value === 'true' || value === 'false') out[key] = value === 'true';
    else out[key] = value;
  }
  return out;
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(
  raw: Record<string, string | undefined> = process.env,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const candidate = Value.Default(EnvSchema, coerce(raw));
  const problems = new Map<string, string>();
  const refuse = () => {
    // A URL's password stays out of the message (it goes to the terminal and the service's log).
    const shown = (name: string) => (raw[name] ?? '').replace(/^([a-z]+:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
    const lines = [...problems].map(([name, message]) => `  ${name}=${JSON.stringify(shown(name))}: ${message}`);
    return new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee README.md, "Configuration".`);
  };
  if (!Value.Check(EnvSchema, candidate)) {
    for (const error of Value.Errors(EnvSchema, candidate)) {
      const name = error.instancePath.replace(/^\//, '') || 'environment';
      if (!problems.has(name)) problems.set(name, error.message);
    }
    throw refuse();
  }
  const env = candidate as Env;
  const dataDir = path.resolve(env.DATA_DIR);
  const publicUrl = (env.PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`).replace(/\/+$/, '');
  const mail = mailSettings(env, publicUrl);
  const databaseProblem = env.DATABASE_URL === undefined ? null : databaseUrlProblem(env.DATABASE_URL);
  if (databaseProblem !== null) problems.set('DATABASE_URL', databaseProblem);
  if (mail instanceof Map) for (const [name, message] of mail) problems.set(name, message);
  if (problems.size > 0 || mail instanceof Map) {
    throw refuse();
  }
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir,
    databaseFile: path.join(dataDir, 'concilia.db'),
    databaseUrl: env.DATABASE_URL ?? null,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    invitationTtlDays: env.INVITATION_TTL_DAYS,
    passwordResetTtlHours: env.PASSWORD_RESET_TTL_HOURS,
    loginThrottle: {
      maxPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMinutes: env.LOGIN_FAILURE_WINDOW_MINUTES,
    },
    liveEventRetentionHours: env.LIVE_EVENT_RETENTION_HOURS,
    liveHeartbeatSeconds: env.LIVE_HEARTBEAT_SECONDS,
    maxUploadBytes: env.MAX_UPLOAD_MB * 1024 * 1024,
    maxTextExtractionBytes: env.MAX_TEXT_EXTRACTION_MB * 1024 * 1024,
    documentTrashDays: env.DOCUMENT_TRASH_DAYS,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    mail,
    mailWorker: DEFAULT_MAIL_WORKER,
    clientDir: null,
    now: () => new Date(),
    ...overrides,
  };
}

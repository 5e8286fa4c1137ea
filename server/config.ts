import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every setting the server reads from the environment, with safe defaults.
 * README.md ("Configuration") documents each one; keep the two in step.
 */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
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
});

type Env = Static<typeof EnvSchema>;

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Path of the SQLite file, or ':memory:'. */
  databaseFile: string;
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
  if (!Value.Check(EnvSchema, candidate)) {
    const problems = new Map<string, string>();
    for (const error of Value.Errors(EnvSchema, candidate)) {
      const name = error.instancePath.replace(/^\//, '') || 'environment';
      if (!problems.has(name)) problems.set(name, `  ${name}=${JSON.stringify(raw[name] ?? '')}: ${error.message}`);
    }
    throw new ConfigError(`Invalid configuration:\n${[...problems.values()].join('\n')}\nSee README.md, "Configuration".`);
  }
  const env = candidate as Env;
  const dataDir = path.resolve(env.DATA_DIR);
  const publicUrl = (env.PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`).replace(/\/+$/, '');
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir,
    databaseFile: path.join(dataDir, 'concilia.db'),
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
    clientDir: null,
    now: () => new Date(),
    ...overrides,
  };
}

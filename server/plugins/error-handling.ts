import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { AppError, type ErrorBody } from '../shared/errors.js';
import { fieldProblems } from '../shared/validation.js';
import { isDatabaseUnavailable } from './db.js';

/** Seconds a client is asked to wait while the database is unreachable: about a failover's time (docs in README). */
const DATABASE_RETRY_AFTER_SECONDS = 10;

/** Fastify's own client errors, renamed into our stable codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_body',
  FST_ERR_VALIDATION: 'validation_failed',
  // @fastify/multipart
  FST_REQ_FILE_TOO_LARGE: 'file_too_large',
  FST_FILES_LIMIT: 'too_many_files',
  FST_FIELDS_LIMIT: 'too_many_fields',
  FST_PARTS_LIMIT: 'too_many_parts',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'not_multipart',
};

/**
 * The SQLSTATE of a PostgreSQL error refusing a value as data: class 22 (data exception: text with a
 * NUL byte, a number past bigint, malformed input for a type) or 54000 (a value too long for an
 * index). Such a value passed the request's schema and SQLite would have taken it; PostgreSQL refuses
 * it, and it is the request's fault, not the server's. null for any other error. drizzle wraps the
 * driver's error (its code is on the cause).
 */
export function refusedValueCode(error: unknown): string | null {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, severity } = current as { code?: unknown; severity?: unknown };
    // severity tells node-postgres's errors from others that carry a five-character code.
    if (typeof code === 'string' && typeof severity === 'string' && (code.startsWith('22') || code === '54000')) return code;
  }
  return null;
}

/** Before the security plugin has registered (a refusal while the app starts), nosniff at least. */
const FALLBACK_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff' };

/**
 * Failures the router meets before any route or plugin is chosen (bad percent-encoding,
 * an over-long path segment) never reach setErrorHandler; this keeps them in the same shape.
 * Passed to Fastify as its `frameworkErrors` option.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const [status, code, message] =
    error.code === 'FST_ERR_BAD_URL'
      ? [400, 'malformed_url', 'The address of this request is not valid.']
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? [414, 'url_too_long', 'A part of the address of this request is too long.']
        : [500, 'internal_error', 'Something went wrong on our side. Please try again.'];
  if (status >= 500) request.log.error({ err: error }, 'unhandled framework error');
  else request.log.info({ code, status }, 'request refused');
  // No hook runs for these replies: the request id and the API's security headers are set here.
  reply.headers(reply.server.securityHeaders?.api ?? FALLBACK_HEADERS).header('x-request-id', request.id);
  reply.status(status).send({ error: { code, message } } satisfies ErrorBody);
}

type ConnectionError = Parameters<NonNullable<FastifyServerOptions['clientErrorHandler']>>[0];

/**
 * Requests Node's HTTP parser refuses before there is any request for Fastify to handle: headers
 * over Node's 16 KB (an overgrown cookie, usually), a request that is not HTTP, headers that take
 * too long to arrive. Fastify's default answers them in a shape of its own; this writes ours,
 * straight on the socket, then closes it (the parser cannot go on with this connection).
 * Passed to Fastify as its `clientErrorHandler` option.
 */
export function clientErrorHandler(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The headers of this request are larger than 16 KB. Clearing this site\'s cookies in the browser may help.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : [400, 'malformed_request', 'This request is not valid HTTP.'];
  this.log.info({ code, status, parserError: error.code }, 'request refused by the HTTP parser');
  // As Node's own handler does: answer only while no response of this connection has started.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
    const security = Object.entries(this.securityHeaders?.api ?? FALLBACK_HEADERS)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        security +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}

/**
 * One place turns every failure into `{ error: { code, message, details? } }`.
 * Server faults are logged in full but answered with a generic message, so internals never leak.
 */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      let status: number;
      let body: ErrorBody;
      if (error instanceof AppError) {
        status = error.statusCode;
        body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
        reply.headers(error.headers);
      } else if (error.validation) {
        status = 400;
        const problems = fieldProblems(error.validation ?? [], error.validationContext ?? 'body');
        const summary = problems.map((problem) => `${problem.field} ${problem.message}`).join('; ');
        body = { error: { code: 'validation_failed', message: `Invalid ${error.validationContext ?? 'request'}: ${summary}`, details: problems } };
      } else if (refusedValueCode(error) !== null) {
        status = 400;
        // Logged with the error: a server that builds such a value itself would be a defect to find.
        request.log.warn({ err: error, sqlState: refusedValueCode(error) }, 'a value refused by the database');
        body = { error: { code: 'invalid_value', message: 'A value in this request cannot be stored: it is malformed, too long or out of range.' } };
      } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        status = error.statusCode;
        const code = FASTIFY_CODES[error.code] ?? (status === 429 ? 'rate_limited' : 'bad_request');
        body = { error: { code, message: error.message } };
      } else if (isDatabaseUnavailable(error)) {
        status = 503;
        request.log.warn({ err: error }, 'database unavailable');
        body = { error: { code: 'database_unavailable', message: 'The database cannot be reached just now. Please try again in a few seconds.' } };
        reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      } else {
        status = 500;
        request.log.error({ err: error }, 'unhandled error');
        body = { error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } };
      }
      if (status < 500) request.log.info({ code: body.error.code, status }, 'request refused');
      // A route may have described the answer it meant to give (a file's ETag, name and caching)
      // before it failed: an error is none of those, and is never stored.
      reply.removeHeader('etag').removeHeader('last-modified').removeHeader('content-disposition').header('cache-control', 'no-store');
      return reply.status(status).send(body);
    });
  },
  { name: 'error-handling' },
);

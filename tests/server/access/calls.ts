import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { multipart } from '../documents/support.js';
import { EXPECTED, type MatrixCase } from './expected.js';
import { exampleOf, fillPath, type Operation } from './openapi.js';
import type { TestApp } from '../../helper.js';
import { openTestDb } from '../support.js';
import type { AccessWorld, Caller, Target } from './world.js';

/**
 * What the tests that call every route on real objects share (the access matrix, the cross-group
 * test): how a case of the table in expected.ts becomes a request, how an answer is named, and the
 * standard error shape every refusal must have.
 */

/** The cases of a route in expected.ts (one or several). */
export const casesOf = (key: string): MatrixCase[] => [EXPECTED[key]!].flat();

/** `GET /api/meetings/{id} on meeting ?q=x`: a case as the reports name it. */
export const caseName = (key: string, matrixCase: MatrixCase) => `${key}${matrixCase.target ? ` on ${matrixCase.target}` : ''}${matrixCase.query ? ` ?${new URLSearchParams(matrixCase.query)}` : ''}`;

/** Calls other than GET change their object: they get a fresh one (unless the case shares it). */
export const changesTarget = (operation: Operation, matrixCase: MatrixCase) => operation.method !== 'GET' && !matrixCase.shared;

/** The request a case makes of a route, its path filled from the target, its body from the case (or the smallest the schema accepts). */
export async function requestFor(operation: Operation, matrixCase: MatrixCase, target: Target, context: { world: AccessWorld; caller: Caller }): Promise<InjectOptions> {
  const values = Object.fromEntries(Object.entries(target).map(([name, value]) => [name, String(value)]));
  const query = matrixCase.query ? `?${new URLSearchParams(matrixCase.query)}` : '';
  const options: InjectOptions = { method: operation.method as InjectOptions['method'], url: fillPath(operation.path, values) + query };
  if (matrixCase.multipart) {
    const { fields, file } = matrixCase.multipart();
    const body = await multipart(fields, file);
    return { ...options, payload: body.payload, headers: { 'content-type': body.contentType } };
  }
  const body = matrixCase.body ? matrixCase.body({ target, ...context }) : operation.body ? exampleOf(operation.body) : undefined;
  if (body === undefined) return options;
  return { ...options, payload: body as InjectOptions['payload'], ...(matrixCase.contentType ? { headers: { 'content-type': matrixCase.contentType } } : {}) };
}

/** What was asked, as text: a word the caller sent is no leak when the answer repeats it. */
export const askedText = (sent: InjectOptions) => `${sent.url} ${typeof sent.payload === 'string' ? sent.payload : JSON.stringify(sent.payload ?? '')}`;

/** The `error.code` of a refusal, if the body has one. */
export function errorCodeOf(response: LightMyRequestResponse): string | undefined {
  if (response.statusCode < 400) return undefined;
  try {
    return (JSON.parse(response.body || '{}') as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** `{ error: { code, message, details? } }` and nothing else. */
export function errorShapeProblem(response: LightMyRequestResponse): string | null {
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return `a ${response.statusCode} whose body is not JSON: ${response.body.slice(0, 80)}`;
  }
  const error = (body as { error?: Record<string, unknown> })?.error;
  const ok =
    body !== null && typeof body === 'object' && Object.keys(body).join() === 'error' && error !== undefined && typeof error.code === 'string' && typeof error.message === 'string' && Object.keys(error).every((key) => ['code', 'message', 'details'].includes(key));
  return ok ? null : `a ${response.statusCode} not in the standard error shape: ${response.body.slice(0, 120)}`;
}

/** The shared notification's read state, read from the database: every caller names it in POST /notifications/read, and only its owner may mark it. */
export async function sharedNotificationState(world: AccessWorld, t: TestApp): Promise<unknown> {
  const notification = await world.sharedTarget('notification');
  const db = openTestDb(t);
  try {
    return await db.prepare('select read_at as "readAt" from notifications where id = ?').get(notification.id);
  } finally {
    await db.close();
  }
}

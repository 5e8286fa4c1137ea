import { currentRequestGroup } from './group-address.js';

/**
 * The one way the client talks to the server. Every failure becomes an ApiError with the
 * server's stable `code`, so views decide what to say from the code, never from the text.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** Problems by body field (`details[]` of a validation error), first one wins per field. */
    readonly fields: Record<string, string> = {},
    /** Seconds to wait, from Retry-After (429). */
    readonly retryAfter: number | null = null,
    /** The error's `details` as sent, for codes that carry more than field problems (e.g. a conflict's current state). */
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** True for the abort a @lit/task or a navigation causes; such errors are never shown. */
export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

type SessionListener = () => void;
let sessionExpired: SessionListener | null = null;
let notAMember: SessionListener | null = null;

/** The header that names the working group of a request (absent: the person's first group). */
export const GROUP_HEADER = 'x-concilia-group';

/**
 * Registers what to do when a page load finds the session gone (401 on a GET).
 * Writes are left alone: their form shows the error and keeps what the person typed.
 */
export function onSessionExpired(listener: SessionListener | null): void {
  sessionExpired = listener;
}

/**
 * Registers what to do when the server says the person is not a member of the group the page's
 * address names (403 not_a_member): the shell shows that instead of the page.
 */
export function onNotAMember(listener: SessionListener | null): void {
  notAMember = listener;
}

function buildUrl(path: string, query?: Query): string {
  const url = new URL(`/api${path}`, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search;
}

function fieldsOf(details: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(details)) return fields;
  for (const item of details as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { field, message } = item as Partial<FieldProblem>;
    if (typeof field === 'string' && typeof message === 'string' && !(field in fields)) fields[field] = message;
  }
  return fields;
}

interface Answer {
  status: number;
  statusText: string;
  text: string;
  retryAfter: string | null;
}

/**
 * Turns an answer into its JSON, or into the ApiError its `{ error }` body describes.
 * Shared by fetch and the upload path so both fail the same way.
 */
function readAnswer<T>({ status, statusText, text, retryAfter }: Answer, method: string, path: string): T {
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(status, 'bad_response', `Unexpected answer from the server (${status}).`);
    }
  }

  if (status < 200 || status > 299) {
    const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const retryAfterSeconds = Number(retryAfter);
    const apiError = new ApiError(
      status,
      typeof error?.code === 'string' ? error.code : `http_${status}`,
      typeof error?.message === 'string' ? error.message : statusText,
      fieldsOf(error?.details),
      Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds : null,
      error?.details ?? null,
    );
    if (status === 401 && method === 'GET' && path !== '/me') sessionExpired?.();
    if (status === 403 && apiError.code === 'not_a_member') notAMember?.();
    throw apiError;
  }
  return json as T;
}

/** The highest live-log position an answer (or the live channel) told; null until one did. */
let knownPosition: number | null = null;
/** For each request in flight, the position known when it began (its answer may be older than what came since). */
const positionsInFlight = new Map<number, number | null>();
let requestsStarted = 0;

/**
 * The live log's position known to the page. A topic subscribed after its data began loading
 * starts from `current()`: on a slow connection the socket opens seconds after the data came, and
 * what changed in between is replayed instead of lost.
 */
export interface LivePosition {
  current(): number | null;
  note(position: number): void;
}

/**
 * Where a live subscription made now may start and miss nothing that the data being loaded does
 * not show: no later than the position known when the oldest request still in flight began. The
 * server tells its position (`live-position`) on every read, taken before it reads.
 */
export const livePosition: LivePosition = {
  current(): number | null {
    let position = knownPosition;
    for (const atStart of positionsInFlight.values()) {
      if (atStart === null) return null;
      if (position === null || atStart < position) position = atStart;
    }
    return position;
  },
  note(position: number): void {
    if (Number.isSafeInteger(position) && position >= 0 && (knownPosition === null || position > knownPosition)) knownPosition = position;
  },
};

/** Writes sent and not yet answered. */
const writesInFlight = new Set<Promise<unknown>>();

/**
 * Once every write under way has been answered (or failed), or after `timeoutMs`: the shell waits
 * for this before it reloads the page into another group, so that a write a click began (a
 * notification marked read as it is opened) is not cut off by the reload.
 */
export function writesSettled(timeoutMs = 3000): Promise<void> {
  if (writesInFlight.size === 0) return Promise.resolve();
  return Promise.race([Promise.allSettled([...writesInFlight]).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const id = ++requestsStarted;
  positionsInFlight.set(id, knownPosition);
  const sending = send<T>(method, path, options);
  if (method !== 'GET') {
    writesInFlight.add(sending);
    void sending.then(
      () => writesInFlight.delete(sending),
      () => writesInFlight.delete(sending),
    );
  }
  try {
    return await sending;
  } finally {
    positionsInFlight.delete(id);
  }
}

async function send<T>(method: string, path: string, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const group = currentRequestGroup();
  if (group) headers[GROUP_HEADER] = group;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  const answer = { status: response.status, statusText: response.statusText, text: await response.text(), retryAfter: response.headers.get('retry-after') };
  const position = response.headers.get('live-position');
  if (position !== null) livePosition.note(Number(position));
  return readAnswer<T>(answer, method, path);
}

export interface UploadOptions {
  /** Called as the request body goes out: bytes sent so far, and in all. */
  onProgress?: (sent: number, total: number) => void;
  /** Aborting cancels the upload; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}

/**
 * Sends multipart form data. XMLHttpRequest rather than fetch, because only it reports how
 * much of a request body has been sent, which a large file upload needs to show.
 */
function upload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  const method = 'POST';
  return new Promise<T>((resolve, reject) => {
    const { signal, onProgress } = options;
    const aborted = () => new DOMException('The upload was cancelled.', 'AbortError');
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const xhr = new XMLHttpRequest();
    const onAbortSignal = () => xhr.abort();
    const settle = () => signal?.removeEventListener('abort', onAbortSignal);
    xhr.open(method, buildUrl(path));
    xhr.setRequestHeader('accept', 'application/json');
    const group = currentRequestGroup();
    if (group) xhr.setRequestHeader(GROUP_HEADER, group);
    if (onProgress) xhr.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.lengthComputable ? event.total : 0));
    xhr.addEventListener('load', () => {
      settle();
      try {
        const answer = { status: xhr.status, statusText: xhr.statusText, text: xhr.responseText, retryAfter: xhr.getResponseHeader('retry-after') };
        resolve(readAnswer<T>(answer, method, path));
      } catch (error) {
        reject(error);
      }
    });
    xhr.addEventListener('error', () => {
      settle();
      reject(new ApiError(0, 'network_error', 'The server could not be reached.'));
    });
    xhr.addEventListener('abort', () => {
      settle();
      reject(aborted());
    });
    signal?.addEventListener('abort', onAbortSignal, { once: true });
    xhr.send(form);
  });
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  // Always a JSON body: the server refuses an empty one sent as application/json.
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('DELETE', path, { ...options, body }),
  /** A multipart POST with upload progress; append text fields to `form` before the file parts. */
  upload: <T>(path: string, form: FormData, options?: UploadOptions) => upload<T>(path, form, options),
};

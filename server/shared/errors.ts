import { Type, type Static } from 'typebox';

/** The one error shape every route answers with. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'Error' },
);
export type ErrorBody = Static<typeof ErrorResponse>;

/** An expected failure with a stable code for clients and a human message. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'You need to sign in.') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const gone = (code: string, message: string) => new AppError(410, code, message);

/** Responses every route may give on failure, for its `response` schema map. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
} as const;

/** Besides errorResponses, for routes that take uploads. */
export const uploadErrorResponses = {
  ...errorResponses,
  413: ErrorResponse,
  415: ErrorResponse,
} as const;

/** Body of a 404 for a path no route serves. */
export const noRouteBody = (method: string, url: string): ErrorBody => ({
  error: { code: 'not_found', message: `No route ${method} ${url.split('?')[0]}.` },
});

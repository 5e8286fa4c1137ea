import { Type } from 'typebox';
import { ErrorResponse, errorResponses } from './errors.js';

/**
 * Response declarations for routes whose success is not JSON: stored files, calendars, CSV,
 * Markdown and HTML exports. Each success names its own media type (@fastify/swagger's `produces`
 * would give that type to every status, so the JSON errors beside it were published as text), and
 * the errors stay `errorResponses`, as everywhere. tests/server/openapi.test.ts lints the document
 * and compares these declarations with what the routes answer.
 */

/** A success whose body is text of one media type. */
export const textBody = (mediaType: string, description: string) => ({ description, content: { [mediaType]: { schema: Type.String() } } });

/** An answer to a conditional GET whose validator still matches: no body. */
export const NotModified = Type.Null({ description: 'Not modified: the validator sent (If-None-Match) is still current' });

/** What an export of a text format answers: the text, or an error in JSON. */
export const textExportResponses = (mediaType: string, description: string) => ({ 200: textBody(mediaType, description), ...errorResponses }) as const;

const storedFile = { '*/*': { schema: Type.String({ format: 'binary' }) } };

/**
 * What a stored file's download answers (plugins/files/transfers.ts, sendStoredFile): the file under
 * its own media type, one byte range of it, not modified, a precondition that failed (If-Match),
 * a range past its end, or an error in JSON.
 */
export const fileDownloadResponses = {
  200: { description: 'The file, under its own media type, with ETag and Content-Disposition', content: storedFile },
  206: { description: 'The byte range asked for (Range), with Content-Range', content: storedFile },
  304: NotModified,
  412: ErrorResponse,
  416: ErrorResponse,
  ...errorResponses,
} as const;

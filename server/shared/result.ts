/**
 * What the functions of a pure domain (proposals, comment rounds) return: the new value, or a
 * refusal with a stable code and the HTTP status a route answers with (400 bad input, 403 not this
 * person's move, 409 not in this state or at this time). None throws for a refusal, and none
 * mutates its input.
 */
export interface Refusal {
  code: string;
  message: string;
  status: 400 | 403 | 409;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: Refusal };

export const accept = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = (status: Refusal['status'], code: string, message: string): { ok: false; error: Refusal } => ({ ok: false, error: { code, message, status } });

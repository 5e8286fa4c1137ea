/**
 * The app's DOM events are typed: each element declares the events it dispatches in
 * HTMLElementEventMap, next to it (`declare global { interface HTMLElementEventMap { ... } }`), so
 * `addEventListener('cn-…', (event) => event.detail…)` is checked, and `emit` below refuses an
 * undeclared name or a detail of the wrong shape.
 */

/** The detail an event of that name carries (never for a plain Event). */
export type EventDetail<K extends keyof HTMLElementEventMap> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Dispatches a declared custom event from `target`. */
export function emit<K extends keyof HTMLElementEventMap>(target: EventTarget, type: K, detail: EventDetail<K>, init: { bubbles?: boolean; composed?: boolean } = {}): boolean {
  return target.dispatchEvent(new CustomEvent(type, { ...init, detail }));
}

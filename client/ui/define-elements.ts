/**
 * Custom elements are registered from one map of tag to class, so each tag is written once: the
 * same map defines the elements and types `document.createElement`/`querySelector` through
 * `HTMLElementTagNameMap`:
 *
 *   const ELEMENTS = { 'cn-thing': CnThing };
 *   defineElements(ELEMENTS);
 *   declare global { interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {} }
 *
 * (A plain object, not the call's result: inferring the call's type would make TypeScript compare
 * the classes with HTMLElement while it resolves HTMLElementTagNameMap itself, a cycle it refuses;
 * `prototype` rather than InstanceType for the same reason.)
 *
 * Elements are defined in the map's order (the shell's <cn-app> last, since defining it starts the
 * app), and a tag already defined is left as it is: shared elements (client/ui) are imported by
 * several chunks.
 */
export type ElementsOf<T extends Record<string, { prototype: unknown }>> = { [Tag in keyof T]: T[Tag]['prototype'] };

export function defineElements(elements: Record<string, CustomElementConstructor>): void {
  for (const [tag, element] of Object.entries(elements)) if (!customElements.get(tag)) customElements.define(tag, element);
}

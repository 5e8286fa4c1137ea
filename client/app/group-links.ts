/**
 * The link layer of working-group addresses: the features write their links without a group
 * (`/debates/t/1`), and on a page of `/g/<slug>/` each same-site link is given that prefix as the
 * person reaches for it, before the router (or the browser, for a new tab, a copied address or a
 * middle click) reads it. So one place keeps every link in the page's group, and the features'
 * templates stay as they are.
 *
 * Why rewrite the element rather than only the router's navigation: a link opened in a new tab,
 * copied, or shown in the status bar would otherwise name no group, which is the first group.
 * Lit leaves the attribute alone until the template's value for it changes, and then writes the
 * unprefixed value again, which the next reach prefixes again.
 */

/** Every way a person reaches a link before it is followed: pointing, pressing, focusing, its menu. */
const REACH_EVENTS = ['pointerover', 'mousedown', 'focusin', 'contextmenu', 'auxclick', 'click'] as const;

/** Installs the link layer on the window: `address` gives a path's address in the page's group. Returns the uninstall. */
export function keepLinksInGroup(address: (path: string) => string): () => void {
  const reach = (event: Event) => {
    const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (anchor) keepInGroup(anchor, address);
  };
  // Capture on the window: before the router's own click listener, which reads the link's address.
  for (const type of REACH_EVENTS) window.addEventListener(type, reach, { capture: true });
  return () => {
    for (const type of REACH_EVENTS) window.removeEventListener(type, reach, { capture: true });
  };
}

/** Gives one link its address in the page's group, when it is a same-site path without one. */
export function keepInGroup(anchor: Pick<Element, 'getAttribute' | 'setAttribute'>, address: (path: string) => string): void {
  const href = anchor.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('//')) return;
  const grouped = address(href);
  if (grouped !== href) anchor.setAttribute('href', grouped);
}

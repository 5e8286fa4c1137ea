import type { PropertyDeclarations } from 'lit';
import { AppElement } from './base-element.js';
import { pageNumber } from './navigation.js';

/**
 * A page whose list state (filters, query, page number) lives in the address, so that reloading,
 * sharing and Back show the same list. The shell passes the address's query string as `search`.
 */
export class AddressedPage extends AppElement {
  static override properties: PropertyDeclarations = { search: {} };

  declare search: string;

  constructor() {
    super();
    this.search = '';
  }

  protected get params(): URLSearchParams {
    return new URLSearchParams(this.search);
  }

  /** The page of the list the address names (1 when it names none, or nonsense). */
  protected get page(): number {
    return pageNumber(this.params);
  }
}

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

  /**
   * The list's query as the address gives it: the offset and limit of its page, and each of `names`
   * that the address holds, trimmed, unless blank (each is also an API filter).
   */
  protected listQuery<const K extends string>(names: readonly K[], pageSize: number): { offset: number; limit: number } & { [Name in K]?: string } {
    const params = this.params;
    const filters: { [Name in K]?: string } = {};
    for (const name of names) {
      const value = params.get(name)?.trim();
      if (value) filters[name] = value;
    }
    return { offset: (this.page - 1) * pageSize, limit: pageSize, ...filters };
  }

  /** The page of the list the address names (1 when it names none, or nonsense). */
  protected get page(): number {
    return pageNumber(this.params);
  }
}

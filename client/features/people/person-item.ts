import { html, nothing } from 'lit';
import type { Person } from '../../app/models.js';

/** One person in a directory list: name (to their page), job title and e-mail. */
export const personItem = (person: Person, action: unknown = nothing) => html`
  <li class="person">
    <div class="person-main">
      <a class="person-name" href=${`/people/${encodeURIComponent(person.id)}`}>${person.displayName}</a>
      ${person.jobTitle ? html`<span class="person-title">${person.jobTitle}</span>` : nothing}
      <a class="person-email" href=${`mailto:${person.email}`}>${person.email}</a>
    </div>
    ${action}
  </li>
`;

import type { BrowserContext } from 'playwright-core';
import type { Harness } from './harness.js';

/**
 * People and data for browser scenarios, made through the REST API (as an administrator
 * would through the interface, which other tests cover).
 */
export interface Person {
  id: string;
  displayName: string;
  email: string;
  password: string;
  cookie: string;
}

export async function call<T = unknown>(h: Harness, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, cookie?: string): Promise<T> {
  const response = await h.app.inject({
    method,
    url,
    payload,
    headers: { ...(method === 'GET' ? {} : { origin: h.baseUrl }), ...(cookie ? { cookie } : {}) },
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return (response.body ? response.json() : null) as T;
}

const cookieOf = (setCookie: string | string[] | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;

export async function setUp(h: Harness, admin: { displayName: string; email: string; password: string }): Promise<Person> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/setup',
    headers: { origin: h.baseUrl },
    payload: { groupName: 'Grupo de trabajo ODM', ...admin, locale: 'en', timeZone: 'America/Santiago', organizationId: 'eclac' },
  });
  if (response.statusCode !== 201) throw new Error(`setup failed: ${response.statusCode} ${response.body}`);
  return { ...admin, id: response.json().user.id as string, cookie: cookieOf(response.headers['set-cookie']) };
}

/** Invites through the API as the administrator, with any role, then accepts the invitation. */
export async function addPerson(
  h: Harness,
  admin: Person,
  person: {
    displayName: string;
    email: string;
    password: string;
    role: 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer';
    countryId?: string;
    organizationId?: string;
    locale?: 'en' | 'es' | 'pt' | 'fr';
    timeZone?: string;
  },
): Promise<Person> {
  const affiliation = { ...(person.countryId ? { countryId: person.countryId } : {}), ...(person.organizationId ? { organizationId: person.organizationId } : {}) };
  const invitation = await call<{ acceptUrl: string }>(h, 'POST', '/api/invitations', { email: person.email, role: person.role, ...affiliation }, admin.cookie);
  const token = new URL(invitation.acceptUrl).pathname.split('/').pop()!;
  const response = await h.app.inject({
    method: 'POST',
    url: `/api/invitations/${token}/accept`,
    headers: { origin: h.baseUrl },
    payload: { displayName: person.displayName, password: person.password, locale: person.locale ?? 'en', timeZone: person.timeZone ?? 'America/Mexico_City' },
  });
  if (response.statusCode !== 201) throw new Error(`accept failed: ${response.statusCode} ${response.body}`);
  return {
    displayName: person.displayName,
    email: person.email,
    password: person.password,
    id: response.json().user.id as string,
    cookie: cookieOf(response.headers['set-cookie']),
  };
}

/** A member of a country delegation (see addPerson). */
export async function addMember(
  h: Harness,
  admin: Person,
  person: { displayName: string; email: string; password: string; countryId: string; locale?: 'en' | 'es' | 'pt' | 'fr'; timeZone?: string },
): Promise<Person> {
  return { ...person, ...(await addPerson(h, admin, { ...person, role: 'member' })) };
}

/** Signs a browser context in through the API, so the scenario starts on the page it tests. */
export async function signIn(h: Harness, context: BrowserContext, person: Person): Promise<void> {
  const response = await context.request.post(`${h.baseUrl}/api/auth/login`, { data: { email: person.email, password: person.password }, headers: { origin: h.baseUrl } });
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()} ${await response.text()}`);
}

export async function createCategory(h: Harness, admin: Person, category: { slug: string; nameEn: string; nameEs: string; descriptionEn?: string; descriptionEs?: string }) {
  return (await call<{ category: { id: string; slug: string } }>(h, 'POST', '/api/categories', category, admin.cookie)).category;
}

import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';

/**
 * A comment round for the benchmark, on the database `seed` built: a 320-paragraph draft (40
 * sections of 8 paragraphs, uploaded as Markdown text) consulting every member's country, one
 * focal point each, every member commenting on a paragraph or a passage, every country submitting.
 * Made through the real routes, in-process, before the server starts.
 */
export interface RoundSeed {
  roundId: string;
  comments: number;
  paragraphs: number;
}

const SECTIONS = 40;
const PARAGRAPHS = 8;

export async function seedRound(dataDir: string, origin: string, cookies: readonly string[], userIds: readonly string[]): Promise<RoundSeed> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: origin });
  const app: FastifyInstance = await buildApp(config, { logger: false });
  await app.ready();
  try {
    const call = async (cookie: string, method: 'POST' | 'PUT', url: string, payload: unknown, status: number) => {
      const response = await app.inject({ method, url, payload: payload as object, headers: { cookie, origin } });
      if (response.statusCode !== status) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const lines: string[] = ['# Informe de actividades del bienio', ''];
    for (let s = 1; s <= SECTIONS; s += 1) {
      lines.push(`## Sección ${s}: conciliación de cifras`, '');
      for (let p = 1; p <= PARAGRAPHS; p += 1) {
        lines.push(`En la sección ${s}, párrafo ${p}, el grupo examina la diferencia entre la cifra nacional y la estimación internacional del indicador ${s}.${p}, y propone revisar la fuente de población utilizada por cada organismo.`, '');
      }
    }
    const form = new FormData();
    form.append('metadata', JSON.stringify({ title: { es: 'Informe de actividades', en: 'Activity report' }, type: 'report', languages: ['es'], publicationDate: '2026-10-01', visibility: 'group' }));
    form.append('file', new Blob([lines.join('\n')], { type: 'text/plain' }), 'informe.txt');
    const encoded = new Request('http://127.0.0.1/', { method: 'POST', body: form });
    const secretariat = cookies[2]!;
    const uploaded = await app.inject({ method: 'POST', url: '/api/documents', payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')!, cookie: secretariat, origin } });
    if (uploaded.statusCode !== 201) throw new Error(`upload: ${uploaded.statusCode} ${uploaded.body}`);
    const documentId = uploaded.json().document.id as string;

    const directory = (await app.people.listDirectory((await app.groups.findDefault())!.id)).filter((person) => person.role === 'member' && person.countryId);
    const countryIds = [...new Set(directory.map((person) => person.countryId!))];
    const focal = new Map<string, string>();
    for (const person of directory) if (!focal.has(person.countryId!)) focal.set(person.countryId!, person.id);
    for (const id of focal.values()) await call(cookies[0]!, 'PUT', `/api/people/${id}/delegation`, { delegationRole: 'focal_point' }, 200);

    const round = await call(secretariat, 'POST', '/api/rounds', { documentId, version: 1, consulted: { countryIds, organizationIds: [] }, deadline: new Date(Date.now() + 20 * 86_400_000).toISOString() }, 201);
    const roundId = round.round.id as string;
    const cookieOf = new Map(userIds.map((id, index) => [id, cookies[index]!]));
    let comments = 0;
    for (const [index, person] of directory.entries()) {
      const section = 1 + (index % SECTIONS);
      const paragraph = 1 + (index % PARAGRAPHS);
      const anchor = index % 2 ? { kind: 'paragraph', blockId: `s${section}p${paragraph}` } : { kind: 'passage', blockId: `s${section}p${paragraph}`, exact: 'la fuente de población' };
      await call(cookieOf.get(person.id)!, 'POST', `/api/rounds/${roundId}/comments`, { type: 'technical', text: `Comentario ${index}: precisar la fuente y el año de referencia.`, proposedText: 'la fuente de población y su año', anchor }, 201);
      comments += 1;
    }
    for (const id of focal.values()) await call(cookieOf.get(id)!, 'POST', `/api/rounds/${roundId}/submission`, {}, 201);
    return { roundId, comments, paragraphs: SECTIONS * PARAGRAPHS };
  } finally {
    await app.close();
  }
}

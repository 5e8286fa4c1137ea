import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run audit:check`: `npm audit` against the reviewed allowlist in audit-allowlist.json.
 * Fails (exit 1) on any advisory of moderate severity or above that the allowlist does not name
 * for that package, or whose entry has expired, and on an allowlist that is not well formed.
 * When the registry gives no audit answer (offline, or a mirror without the advisories
 * endpoint), it says so and exits 3: .ci/run reports that as "not checked" rather than failing
 * a build that changed nothing, so CI needs no network beyond what `npm ci` needs.
 */

export const BLOCKING = ['moderate', 'high', 'critical'] as const;
const SEVERITY_ORDER = ['info', 'low', 'moderate', 'high', 'critical'];
/** An exception is reviewed again within a year at most. */
const MAX_EXCEPTION_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AllowlistEntry {
  /** The GitHub advisory id, GHSA-xxxx-xxxx-xxxx. */
  id: string;
  package: string;
  why: string;
  reviewedBy: string;
  /** YYYY-MM-DD */
  reviewedOn: string;
  /** YYYY-MM-DD: from this day on the exception no longer holds. */
  expires: string;
}

export interface Finding {
  id: string;
  package: string;
  severity: string;
  title: string;
  url: string;
  range: string;
}

export interface Evaluation {
  findings: Finding[];
  /** Blocking findings no valid entry allows. */
  violations: Array<{ finding: Finding; reason: string }>;
  allowed: Array<{ finding: Finding; entry: AllowlistEntry }>;
  /** Entries that match no current finding: to be removed. */
  stale: AllowlistEntry[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;

/** The allowlist file, checked field by field: a sloppy exception is as bad as none. */
export function parseAllowlist(text: string): AllowlistEntry[] {
  const data = JSON.parse(text) as { advisories?: unknown };
  if (!data || !Array.isArray(data.advisories)) throw new Error('audit-allowlist.json: "advisories" must be a list');
  return data.advisories.map((raw, index) => {
    const entry = raw as Record<string, unknown>;
    const where = `audit-allowlist.json advisories[${index}]`;
    for (const field of ['id', 'package', 'why', 'reviewedBy', 'reviewedOn', 'expires']) {
      if (typeof entry[field] !== 'string' || !(entry[field] as string).trim()) throw new Error(`${where}: "${field}" is required`);
    }
    const unknown = Object.keys(entry).filter((key) => !['id', 'package', 'why', 'reviewedBy', 'reviewedOn', 'expires'].includes(key));
    if (unknown.length) throw new Error(`${where}: unknown field(s) ${unknown.join(', ')}`);
    const valid = entry as unknown as AllowlistEntry;
    if (!GHSA.test(valid.id)) throw new Error(`${where}: "id" must be a GitHub advisory id (GHSA-xxxx-xxxx-xxxx), not "${valid.id}"`);
    if (valid.why.trim().length < 40) throw new Error(`${where}: "why" must say why the advisory does not apply or is acceptable`);
    for (const field of ['reviewedOn', 'expires'] as const) {
      if (!DATE.test(valid[field]) || Number.isNaN(Date.parse(`${valid[field]}T00:00:00Z`))) throw new Error(`${where}: "${field}" must be a date, YYYY-MM-DD`);
    }
    const span = (Date.parse(valid.expires) - Date.parse(valid.reviewedOn)) / DAY_MS;
    if (span <= 0 || span > MAX_EXCEPTION_DAYS) throw new Error(`${where}: "expires" must fall within a year after "reviewedOn"`);
    return valid;
  });
}

/**
 * The advisories in `npm audit --json` (report version 2): each package's `via` lists the
 * advisories that affect it directly (objects) and the packages through which it is affected
 * (names, which are followed to their own entry instead).
 */
export function findingsOf(report: unknown): Finding[] {
  const vulnerabilities = (report as { vulnerabilities?: Record<string, { via?: unknown[] }> }).vulnerabilities;
  if (!vulnerabilities || typeof vulnerabilities !== 'object') throw new Error('not an npm audit report (no "vulnerabilities")');
  const found = new Map<string, Finding>();
  for (const vulnerability of Object.values(vulnerabilities)) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== 'object' || via === null) continue;
      const advisory = via as { source?: number; name?: string; title?: string; url?: string; severity?: string; range?: string };
      const id = /GHSA(-[0-9a-z]{4}){3}/i.exec(advisory.url ?? '')?.[0] ?? `npm-${advisory.source}`;
      const finding: Finding = { id, package: advisory.name ?? '?', severity: advisory.severity ?? 'unknown', title: advisory.title ?? '', url: advisory.url ?? '', range: advisory.range ?? '' };
      found.set(`${finding.id} ${finding.package}`, finding);
    }
  }
  return [...found.values()].sort((a, b) => SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) || a.package.localeCompare(b.package));
}

/** `today` as YYYY-MM-DD (UTC): an entry is valid up to the day before its expiry date. */
export function evaluate(findings: Finding[], allowlist: AllowlistEntry[], today: string): Evaluation {
  const evaluation: Evaluation = { findings, violations: [], allowed: [], stale: [] };
  const blocking = (severity: string) => (BLOCKING as readonly string[]).includes(severity) || !SEVERITY_ORDER.includes(severity);
  for (const finding of findings) {
    if (!blocking(finding.severity)) continue;
    const entry = allowlist.find((candidate) => candidate.id.toLowerCase() === finding.id.toLowerCase() && candidate.package === finding.package);
    if (!entry) evaluation.violations.push({ finding, reason: 'not in the allowlist' });
    else if (entry.expires <= today) evaluation.violations.push({ finding, reason: `its exception expired on ${entry.expires} (reviewed by ${entry.reviewedBy} on ${entry.reviewedOn}): review it again` });
    else evaluation.allowed.push({ finding, entry });
  }
  evaluation.stale = allowlist.filter((entry) => !findings.some((finding) => finding.id.toLowerCase() === entry.id.toLowerCase() && finding.package === entry.package));
  return evaluation;
}

/** What `npm audit --json` answered: a report, or why there is none. */
export function readAudit(stdout: string): { report: unknown } | { unavailable: string } {
  let parsed: { vulnerabilities?: unknown; error?: { summary?: string }; message?: string; statusCode?: number };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return { unavailable: `npm audit printed no JSON${stdout.trim() ? `: ${stdout.trim().slice(0, 200)}` : ''}` };
  }
  if (parsed && typeof parsed === 'object' && parsed.vulnerabilities && typeof parsed.vulnerabilities === 'object') return { report: parsed };
  return { unavailable: parsed?.message ?? parsed?.error?.summary ?? 'npm audit gave no report' };
}

function main(): number {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let allowlist: AllowlistEntry[];
  try {
    allowlist = parseAllowlist(readFileSync(new URL('../audit-allowlist.json', import.meta.url), 'utf8'));
  } catch (error) {
    console.error(`audit:check: ${(error as Error).message}`);
    return 1;
  }
  const run = spawnSync('npm', ['audit', '--json'], { cwd: root, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
  const answer = run.error ? { unavailable: run.error.message } : readAudit(run.stdout);
  if ('unavailable' in answer) {
    console.log(`audit:check: NOT CHECKED: the registry gave no audit report (${answer.unavailable}).`);
    console.log(`audit:check: the allowlist itself is well formed (${allowlist.length} exception(s)).`);
    return 3;
  }
  const today = new Date().toISOString().slice(0, 10);
  const result = evaluate(findingsOf(answer.report), allowlist, today);
  const line = (finding: Finding) => `${finding.severity.padEnd(8)} ${finding.id} ${finding.package} (${finding.range}): ${finding.title}`;
  console.log(`audit:check: ${result.findings.length} advisory(ies) found; ${result.allowed.length} allowed by a reviewed exception; ${result.violations.length} blocking.`);
  for (const { finding, entry } of result.allowed) console.log(`  allowed  ${line(finding)}\n           until ${entry.expires}: ${entry.why}`);
  for (const finding of result.findings.filter((f) => !(BLOCKING as readonly string[]).includes(f.severity))) console.log(`  below the bar  ${line(finding)}`);
  for (const entry of result.stale) console.log(`  stale exception (no such advisory any more, remove it): ${entry.id} ${entry.package}`);
  for (const { finding, reason } of result.violations) console.error(`  BLOCKING ${line(finding)}\n           ${finding.url}: ${reason}`);
  return result.violations.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();

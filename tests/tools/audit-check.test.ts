import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, findingsOf, parseAllowlist, readAudit, type AllowlistEntry } from '../../tools/audit-check.js';

/**
 * `npm audit --json` (report version 2) as npm prints it for a dev dependency chain with one
 * moderate advisory (drizzle-kit → @esbuild-kit/esm-loader → @esbuild-kit/core-utils → esbuild)
 * and a low one: the packages on the path list the package they come through, only the
 * vulnerable package lists the advisory itself.
 */
const REPORT = {
  auditReportVersion: 2,
  vulnerabilities: {
    '@esbuild-kit/core-utils': { name: '@esbuild-kit/core-utils', severity: 'moderate', isDirect: false, via: ['esbuild'], effects: ['@esbuild-kit/esm-loader'], range: '*', nodes: ['node_modules/@esbuild-kit/core-utils'], fixAvailable: false },
    '@esbuild-kit/esm-loader': { name: '@esbuild-kit/esm-loader', severity: 'moderate', isDirect: false, via: ['@esbuild-kit/core-utils'], effects: ['drizzle-kit'], range: '*', nodes: ['node_modules/@esbuild-kit/esm-loader'], fixAvailable: false },
    esbuild: {
      name: 'esbuild',
      severity: 'moderate',
      isDirect: false,
      via: [
        {
          source: 1102341,
          name: 'esbuild',
          dependency: 'esbuild',
          title: 'esbuild enables any website to send any requests to the development server and read the response',
          url: 'https://github.com/advisories/GHSA-67mh-4wv8-2f99',
          severity: 'moderate',
          cwe: ['CWE-346'],
          cvss: { score: 5.3, vectorString: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N' },
          range: '<=0.24.2',
        },
      ],
      effects: ['@esbuild-kit/core-utils'],
      range: '<=0.24.2',
      nodes: ['node_modules/@esbuild-kit/core-utils/node_modules/esbuild'],
      fixAvailable: false,
    },
    'some-lib': {
      name: 'some-lib',
      severity: 'low',
      isDirect: false,
      via: [{ source: 1000001, name: 'some-lib', dependency: 'some-lib', title: 'A low one', url: 'https://github.com/advisories/GHSA-2222-3333-4444', severity: 'low', range: '<1.0.1' }],
      effects: [],
      range: '<1.0.1',
      nodes: ['node_modules/some-lib'],
      fixAvailable: true,
    },
  },
  metadata: { vulnerabilities: { info: 0, low: 1, moderate: 3, high: 0, critical: 0, total: 4 } },
};

const entry = (overrides: Partial<AllowlistEntry> = {}): AllowlistEntry => ({
  id: 'GHSA-67mh-4wv8-2f99',
  package: 'esbuild',
  why: 'Only drizzle-kit loads this esbuild, for its transform API at development time; the vulnerable dev server is never started.',
  reviewedBy: 'maintainers',
  reviewedOn: '2026-12-06',
  expires: '2027-03-06',
  ...overrides,
});

describe('audit:check', () => {
  it('reads each advisory once, from the package it affects, by its GHSA id', () => {
    expect(findingsOf(REPORT).map((finding) => [finding.id, finding.package, finding.severity])).toEqual([
      ['GHSA-67mh-4wv8-2f99', 'esbuild', 'moderate'],
      ['GHSA-2222-3333-4444', 'some-lib', 'low'],
    ]);
  });

  it('blocks a moderate advisory that no exception names, and lets a low one pass', () => {
    const result = evaluate(findingsOf(REPORT), [], '2026-12-06');
    expect(result.violations.map((v) => [v.finding.id, v.reason])).toEqual([['GHSA-67mh-4wv8-2f99', 'not in the allowlist']]);
  });

  it('allows it while a reviewed exception for that advisory and package holds', () => {
    const result = evaluate(findingsOf(REPORT), [entry()], '2027-03-05');
    expect(result.violations).toEqual([]);
    expect(result.allowed.map((a) => a.finding.id)).toEqual(['GHSA-67mh-4wv8-2f99']);
  });

  it('blocks it again from the day its exception expires', () => {
    const result = evaluate(findingsOf(REPORT), [entry()], '2027-03-06');
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.reason).toContain('expired on 2027-03-06');
  });

  it('does not let an exception for one package cover the same advisory in another', () => {
    expect(evaluate(findingsOf(REPORT), [entry({ package: 'esbuild-wasm' })], '2026-12-06').violations).toHaveLength(1);
  });

  it('names exceptions that match no advisory any more, to be removed', () => {
    const result = evaluate(findingsOf(REPORT), [entry(), entry({ id: 'GHSA-9999-8888-7777', package: 'old-lib' })], '2026-12-06');
    expect(result.stale.map((e) => e.id)).toEqual(['GHSA-9999-8888-7777']);
  });

  it('refuses a sloppy allowlist: missing reason, bad id, an exception for longer than a year', () => {
    const file = (advisories: unknown[]) => JSON.stringify({ advisories });
    expect(() => parseAllowlist(file([entry()]))).not.toThrow();
    expect(() => parseAllowlist(file([{ ...entry(), why: '' }]))).toThrow(/"why" is required/);
    expect(() => parseAllowlist(file([{ ...entry(), why: 'fine' }]))).toThrow(/must say why/);
    expect(() => parseAllowlist(file([{ ...entry(), id: 'CVE-2025-1234' }]))).toThrow(/GitHub advisory id/);
    expect(() => parseAllowlist(file([{ ...entry(), expires: '2028-01-01' }]))).toThrow(/within a year/);
    expect(() => parseAllowlist(file([{ ...entry(), expires: '6 March' }]))).toThrow(/must be a date/);
    expect(() => parseAllowlist(file([{ ...entry(), reviewer: 'x' }]))).toThrow(/unknown field/);
    expect(() => parseAllowlist('{}')).toThrow(/"advisories" must be a list/);
  });

  it('tells a registry that gives no audit report from a report', () => {
    // What npm printed here, where the registry mirror refuses the advisories endpoint.
    const refused = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', method: 'POST', statusCode: 405, body: '', error: { summary: '', detail: '' } });
    expect(readAudit(refused)).toEqual({ unavailable: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk' });
    expect(readAudit('')).toEqual({ unavailable: 'npm audit printed no JSON' });
    expect(readAudit(JSON.stringify(REPORT))).toEqual({ report: REPORT });
  });

  it('keeps the committed allowlist well formed', () => {
    expect(() => parseAllowlist(readFileSync(new URL('../../audit-allowlist.json', import.meta.url), 'utf8'))).not.toThrow();
  });
});

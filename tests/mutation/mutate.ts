import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { EQUIVALENT, type Equivalent } from './equivalent.js';
import { MUTATION_MODULES, type MutationModule } from './modules.js';

/**
 * `npm run mutate`: mutation testing (StrykerJS) of the security-critical modules listed in
 * ./modules.ts, one module at a time, each against its own test files only.
 *
 *   npm run mutate                                      every module, one after the other
 *   npm run mutate -- server/plugins/authorization.ts   the module holding that file (or: -- authorization)
 *   npm run mutate -- --force                           ignore the incremental results, try every mutant again
 *   npm run mutate -- --table                           only print the table of the last results
 *   npm run mutate -- --table --isolation               also run alone each test that killed a mutant (see testsFailingAlone)
 *
 * Results are kept per module in reports/mutation/ (not committed): <module>.incremental.json lets
 * the next run reuse what was killed and retry the rest (forgetSurvivors), <module>.html shows each mutant.
 * MUTATE_CONCURRENCY (default 1) sets how many test runner processes Stryker starts.
 * Exits with 1 when a module scores under THRESHOLD once its equivalent mutants (./equivalent.ts)
 * are left out; prints every surviving mutant that is neither killed nor explained there.
 */
const THRESHOLD = 90;
const REPORTS = 'reports/mutation';

const args = process.argv.slice(2);
const force = args.includes('--force');
const tableOnly = args.includes('--table');
const isolation = args.includes('--isolation');
const wanted = args.filter((arg) => !arg.startsWith('--'));

const selected = wanted.length === 0 ? Object.keys(MUTATION_MODULES) : wanted.map(moduleNamed);
const concurrency = Number(process.env.MUTATE_CONCURRENCY ?? 1);
if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('MUTATE_CONCURRENCY must be a positive integer');

function moduleNamed(arg: string): string {
  const normalized = arg.replace(/^\.\//, '');
  const name = Object.entries(MUTATION_MODULES).find(([name, module]) => name === normalized || module.files.includes(normalized))?.[0];
  if (!name) {
    const known = Object.entries(MUTATION_MODULES).map(([name, module]) => `  ${name}: ${module.files.join(', ')}`);
    console.error(`"${arg}" is not a mutated module. Known modules:\n${known.join('\n')}`);
    process.exit(2);
  }
  return name;
}

const incrementalFile = (name: string) => `${REPORTS}/${name}.incremental.json`;

function strykerConfig(name: string, module: MutationModule) {
  return {
    $schema: '../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    // Stryker's vitest runner, corrected to count a test file's failed hooks (./vitest-runner.mjs).
    appendPlugins: ['./tests/mutation/vitest-runner.mjs'],
    testRunner: 'vitest-file-hooks',
    // The project's vitest configuration, limited to the module's test files (MUTATE_TESTS).
    vitest: { configFile: 'tests/mutation/vitest.config.ts', related: false },
    // Only the tests that run a mutant's code are tried against it; code run by a file's beforeAll
    // (most of these modules: the test app is set up through the API) is tried against the whole file.
    coverageAnalysis: 'perTest',
    mutate: module.files,
    concurrency,
    incremental: true,
    incrementalFile: incrementalFile(name),
    force,
    reporters: ['clear-text', 'progress', 'html'],
    htmlReporter: { fileName: `${REPORTS}/${name}.html` },
    clearTextReporter: { reportScoreTable: true, reportMutants: true, logTests: false },
    thresholds: { high: 95, low: THRESHOLD, break: null },
    // One sandbox folder per module, so that two modules can be run at once (two npm run mutate).
    tempDirName: `.stryker-tmp/${name}`,
    ignorePatterns: ['dist', 'data', 'reports', 'coverage', 'bench/.prof', '.stryker-tmp', 'soak-results'],
    // The machine is shared: a mutant is only a timeout when it runs 20 s past the normal time.
    timeoutMS: 20_000,
    cleanTempDir: true,
  };
}

interface ReportMutant {
  status: string;
  killedBy?: string[];
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
  testFiles?: Record<string, { tests: Array<{ id: string; name: string }> }>;
}

/** The original code a mutant replaces (the report's location: lines and columns from 1, end excluded). */
function codeAt(source: string, { start, end }: ReportMutant['location']): string {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1]!.slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1]!.slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1]!.slice(0, end.column - 1)].join('\n');
}

const matches = (entry: Equivalent, file: string, mutant: ReportMutant, code: string, line: string): boolean =>
  entry.file === file && entry.mutator === mutant.mutatorName && entry.replacement === mutant.replacement && entry.code === code && (entry.line === undefined || entry.line === line);

/**
 * The figures of the module's last run, from its incremental report (mutation-testing-report-schema).
 * A surviving mutant listed in ./equivalent.ts is equivalent: no test can tell it from the original,
 * so it is left out of the score (mutation score = detected / (valid - equivalent)).
 */
function figuresOf(name: string) {
  const file = incrementalFile(name);
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const listed = EQUIVALENT[name] ?? [];
  const survivingMatches = new Map<Equivalent, number>();
  const count: Record<string, number> = {};
  const unexplained: string[] = [];
  const stale: string[] = [];
  let total = 0;
  let equivalent = 0;
  for (const [path, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    for (const mutant of mutants) {
      total += 1;
      count[mutant.status] = (count[mutant.status] ?? 0) + 1;
      const code = codeAt(source, mutant.location);
      const entry = listed.find((candidate) => matches(candidate, path, mutant, code, lines[mutant.location.start.line - 1]!.trim()));
      const where = `${path}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} ${JSON.stringify(code)} -> ${JSON.stringify(mutant.replacement)}`;
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        if (entry) {
          survivingMatches.set(entry, (survivingMatches.get(entry) ?? 0) + 1);
          equivalent += 1;
        } else unexplained.push(where);
      } else if (entry) stale.push(`${where}: listed as equivalent, but ${mutant.status}`);
    }
  }
  for (const entry of listed) {
    if (!survivingMatches.has(entry)) stale.push(`${entry.file} ${entry.mutator} ${JSON.stringify(entry.code)} -> ${JSON.stringify(entry.replacement)}: listed as equivalent, but no such mutant survived`);
  }
  const n = (status: string) => count[status] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const valid = detected + n('Survived') + n('NoCoverage');
  const percent = (part: number, whole: number) => (whole === 0 ? 100 : (100 * part) / whole);
  return {
    total,
    killed: n('Killed'),
    timeout: n('Timeout'),
    survived: n('Survived') + n('NoCoverage'),
    equivalent,
    errors: n('RuntimeError') + n('CompileError'),
    rawScore: percent(detected, valid),
    score: percent(detected, valid - equivalent),
    unexplained,
    stale,
  };
}

/**
 * Keeps only the killed mutants of the last run: every other one is tried again. Stryker reuses a
 * surviving mutant's result as long as no test newly covers it, and code that runs while modules
 * load or in a file's beforeAll (most of these modules) is covered by no test in particular: a new
 * test that kills such a mutant would never be tried against it. Survivors are few; killed ones
 * are reused only while the test that killed them is unchanged.
 */
function forgetSurvivors(name: string): void {
  const file = incrementalFile(name);
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  for (const entry of Object.values(report.files)) entry.mutants = entry.mutants.filter((mutant) => mutant.status === 'Killed');
  writeFileSync(file, JSON.stringify(report));
}

/**
 * The tests that killed a mutant of the module and fail when run alone on the unchanged code.
 * Stryker tries a mutant against only the tests that cover it, selected by name in a fresh run of
 * their file: a test that passes only after the file's earlier tests (their notices, their counts)
 * fails alone whatever the code, and every mutant it covers is counted killed. Each such test
 * must be made to stand alone, and the module run again.
 */
function testsFailingAlone(name: string): string[] {
  const file = incrementalFile(name);
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const killers = new Set(Object.values(report.files).flatMap(({ mutants }) => mutants.flatMap((mutant) => mutant.killedBy ?? [])));
  const failing: string[] = [];
  for (const [testFile, { tests }] of Object.entries(report.testFiles ?? {})) {
    // The failed hooks of a file (./vitest-runner.mjs) are named by its path in a removed sandbox.
    if (!existsSync(testFile)) continue;
    for (const test of tests.filter((candidate) => killers.has(candidate.id))) {
      const pattern = `^${test.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
      const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', testFile, '-t', pattern], { stdio: 'ignore' });
      if (run.status !== 0) failing.push(`${testFile}: ${test.name}`);
    }
  }
  return failing;
}

if (!tableOnly) {
  mkdirSync(REPORTS, { recursive: true });
  for (const name of selected) {
    const module = MUTATION_MODULES[name]!;
    forgetSurvivors(name);
    const configFile = `${REPORTS}/${name}.stryker.json`;
    writeFileSync(configFile, `${JSON.stringify(strykerConfig(name, module), null, 2)}\n`);
    console.log(`\n=== ${name}: ${module.files.join(', ')} against ${module.tests.join(', ')}\n`);
    const run = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', configFile], {
      stdio: 'inherit',
      env: { ...process.env, MUTATE_TESTS: module.tests.join(',') },
    });
    if (run.status !== 0) {
      console.error(`Stryker failed on ${name} (exit ${run.status ?? run.signal}).`);
      process.exit(1);
    }
  }
}

const rows = selected.map((name) => ({ name, files: MUTATION_MODULES[name]!.files, figures: figuresOf(name) }));
console.log('\n| module | mutants | killed | timed out | survived | of which equivalent | score | score without equivalents |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const { files, figures } of rows) {
  const label = files.map((file) => `\`${file}\``).join('<br>');
  if (!figures) console.log(`| ${label} | not run yet | | | | | | |`);
  else console.log(`| ${label} | ${figures.total} | ${figures.killed} | ${figures.timeout} | ${figures.survived} | ${figures.equivalent} | ${figures.rawScore.toFixed(1)} % | ${figures.score.toFixed(1)} % |`);
}
for (const { name, figures } of rows) {
  if (!figures) continue;
  if (figures.errors > 0) console.log(`\n${name}: ${figures.errors} mutants did not compile or crashed the run (left out of both scores).`);
  if (figures.unexplained.length > 0) console.log(`\n${name}: surviving mutants that no test kills and ./equivalent.ts does not explain:\n  ${figures.unexplained.join('\n  ')}`);
  if (figures.stale.length > 0) console.log(`\n${name}: ./equivalent.ts is out of date:\n  ${figures.stale.join('\n  ')}`);
}
const alone = isolation ? rows.map(({ name }) => ({ name, failing: testsFailingAlone(name) })).filter(({ failing }) => failing.length > 0) : [];
for (const { name, failing } of alone) console.log(`\n${name}: tests that killed mutants but fail alone on the unchanged code (their kills are not real):\n  ${failing.join('\n  ')}`);
if (alone.length > 0) process.exitCode = 1;
const below = rows.filter(({ figures }) => figures && figures.score < THRESHOLD).map(({ name }) => name);
if (below.length > 0) {
  console.error(`\nUnder ${THRESHOLD} %: ${below.join(', ')}`);
  process.exit(1);
}

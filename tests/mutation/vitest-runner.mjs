// @ts-check
// Plain JavaScript, not TypeScript: Stryker imports its plugins with Node's own loader, in its
// worker processes too, where no TypeScript loader is registered.
import { commonTokens, declareFactoryPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import { DryRunStatus, TestStatus } from '@stryker-mutator/api/test-runner';
import { strykerPlugins as vitestPlugins } from '@stryker-mutator/vitest-runner';

/**
 * Stryker's vitest runner ("vitest"), with one correction: a test file whose own hooks or
 * collection fail counts as a failure.
 *
 * Our test files build the real app in a top-level beforeAll (tests/helper.ts buildTestApp) and set
 * up their people through its API. A mutant that breaks that (a route refused, the app failing to
 * start) makes vitest skip every test of the file and mark the file itself failed. The vitest
 * runner (9.6, with vitest 4.1) only reads the tests' states and looks for failed suites above a
 * test, and a top-level test has none: it saw only skipped tests and called the mutant "survived"
 * (stryker-mutator/stryker-js issues 5492 and 6150). Here a failed file that none of whose tests
 * failed contributes one failed test, so such a mutant is killed, and an initial run that fails
 * that way stops the run instead of passing silently.
 */
const vitest = vitestPlugins.find((plugin) => plugin.name === 'vitest');
if (!vitest || vitest.kind !== PluginKind.TestRunner || !('factory' in vitest)) throw new Error('@stryker-mutator/vitest-runner no longer provides the "vitest" test runner factory');
const vitestFactory = vitest.factory;

/** @param {import('@stryker-mutator/api/plugin').Injector} injector */
function createRunner(injector) {
  const runner = /** @type {any} */ (injector.injectFunction(vitestFactory));
  /** @type {(options?: unknown) => Promise<import('@stryker-mutator/api/test-runner').DryRunResult>} */
  const run = runner.run.bind(runner);
  // The runner's dryRun and mutantRun both go through its run().
  runner.run = async (/** @type {unknown} */ options) => {
    const result = await run(options);
    if (result.status !== DryRunStatus.Complete) return result;
    /** @type {Array<{ filepath: string; result?: { state?: string; errors?: Array<{ message?: string }> } }>} */
    const files = runner.ctx.state.getFiles();
    const failedTestFiles = new Set(result.tests.filter((test) => test.status === TestStatus.Failed).map((test) => test.fileName));
    const extra = files
      .filter((file) => file.result?.state === 'fail' && !failedTestFiles.has(file.filepath))
      .map((file) => ({
        id: `${file.filepath}#(the file's own hooks)`,
        name: "(the file's own hooks)",
        fileName: file.filepath,
        timeSpentMs: 0,
        status: /** @type {const} */ (TestStatus.Failed),
        failureMessage: file.result?.errors?.[0]?.message ?? 'the test file failed outside its tests',
      }));
    return extra.length === 0 ? result : { ...result, tests: [...result.tests, ...extra] };
  };
  return runner;
}
createRunner.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'vitest-file-hooks', createRunner)];

import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * The project's vitest configuration, limited to the test files of the module being mutated
 * (MUTATE_TESTS, comma-separated, set by ./mutate.ts). Limiting here rather than with Stryker's
 * own testFiles option matters: with testFiles, Stryker 9.6 activates a mutant of code that runs
 * when a module loads (a route's access constant, a plugin's options) only after the modules have
 * loaded, so such a mutant could never be killed.
 */
const tests = (process.env.MUTATE_TESTS ?? '').split(',').filter(Boolean);
if (tests.length === 0) throw new Error('MUTATE_TESTS names no test file: run this through npm run mutate.');

export default defineConfig({ ...base, test: { ...base.test, include: tests } });

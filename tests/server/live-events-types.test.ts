import path from 'node:path';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const checkFile = path.join(root, 'tests/types/live-events.check.ts');
/** The same checks with every `@ts-expect-error` turned into a plain comment (lines kept), beside it so its imports resolve. */
const twinFile = path.join(root, 'tests/types/live-events.check-without-directives.ts');
const DIRECTIVE = /\/\/ @ts-expect-error\b/;

/**
 * The typed catalogue of live events (server/plugins/live/events.ts) at work: the program as
 * `npm run typecheck` compiles it (the server's files, every feature's events.ts among them), over the checks of
 * tests/types/live-events.check.ts, and over the same file without its directives, where every
 * line that misspells an event type or gets a payload wrong must be refused.
 */
describe('the typed catalogue of live events', () => {
  it('refuses a misspelt event type and a wrong payload, on the server and in the client', () => {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } })!;
    const source = readFileSync(checkFile, 'utf8');
    const lines = source.split('\n');
    const expectedLines = lines.flatMap((line, i) => (DIRECTIVE.test(line) ? [i + 2] : []));
    const twin = lines.map((line) => line.replace(DIRECTIVE, '// (must not compile)')).join('\n');

    const host = ts.createCompilerHost(config.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) => (path.resolve(name) === twinFile ? ts.createSourceFile(name, twin, language, true) : getSourceFile(name, language, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => path.resolve(name) === twinFile || fileExists(name);
    // The server's files (every feature's events.ts among them) and the checks, which bring in the client's live connection.
    const serverFiles = config.fileNames.filter((file) => path.resolve(file).startsWith(path.join(root, 'server') + path.sep));
    const program = ts.createProgram({ rootNames: [...serverFiles, checkFile, twinFile], options: config.options, host });

    const errorLines = (file: string) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => `${d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);

    // As written: everything that should compile does, and every directive meets its error.
    expect(errorLines(checkFile)).toEqual([]);
    expect(expectedLines.length).toBe(10);
    // Without the directives: an error on each of those lines, and on no other.
    const refused = errorLines(twinFile);
    expect([...new Set(refused.map((line) => Number(line.split(':')[0])))].sort((a, b) => a - b)).toEqual(expectedLines);
  }, 180_000);
});

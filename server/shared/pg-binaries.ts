import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Where PostgreSQL's programs are: the tests' private cluster needs the server's (initdb, pg_ctl),
 * backups need pg_dump and pg_restore. One lookup for both, so that a machine set up for one is set up
 * for the other. PG_BINDIR, when set, names the folder to use and no other (a machine with several
 * versions); otherwise `pg_config --bindir`, Debian's /usr/lib/postgresql/<version>/bin newest
 * first (its server binaries are not on PATH), /usr/local/bin and /usr/bin.
 */
export function pgBinaryFolders(): string[] {
  if (process.env.PG_BINDIR) return [process.env.PG_BINDIR];
  const folders: string[] = [];
  try {
    // pg_config ships with libpq-dev, which may be absent.
    folders.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config
  }
  try {
    const versions = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name));
    versions.sort((a, b) => Number(b) - Number(a));
    for (const version of versions) folders.push(`/usr/lib/postgresql/${version}/bin`);
  } catch {
    // no Debian layout
  }
  folders.push('/usr/local/bin', '/usr/bin');
  return folders;
}

/** The first folder holding every one of the programs, or null. */
export function findPgBinaries(programs: string[]): string | null {
  return pgBinaryFolders().find((dir) => programs.every((program) => existsSync(path.join(dir, program)))) ?? null;
}

/** The major version a PostgreSQL program reports (`pg_dump (PostgreSQL) 15.14` gives 15), or null when it does not run. */
export function pgProgramMajor(file: string): number | null {
  try {
    const out = execFileSync(file, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /\(PostgreSQL\) (\d+)/.exec(out);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * pg_dump or pg_restore for a server of this major version: theirs must be the same or newer (pg_dump
 * refuses to dump a newer server, and an older pg_restore may not read its dumps). Throws, saying
 * what was found, when there is none.
 */
export function pgClientProgram(program: 'pg_dump' | 'pg_restore', serverMajor: number): string {
  const found: string[] = [];
  for (const dir of pgBinaryFolders()) {
    const file = path.join(dir, program);
    if (!existsSync(file)) continue;
    const major = pgProgramMajor(file);
    if (major !== null && major >= serverMajor) return file;
    found.push(`${file} (${major ?? 'does not run'})`);
  }
  const where = process.env.PG_BINDIR ? `in PG_BINDIR (${process.env.PG_BINDIR})` : 'on this machine';
  throw new Error(
    `No ${program} of PostgreSQL ${serverMajor} or newer ${where}${found.length > 0 ? `; found ${found.join(', ')}` : ''}. Install the client of the server's version (Debian: postgresql-client-${serverMajor}) or set PG_BINDIR to its folder.`,
  );
}

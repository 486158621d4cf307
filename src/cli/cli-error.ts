/** A failure to report on one line with an exit code, without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function parsePositiveInt(name: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  return parseWholeNumber(name, value, 1, max);
}

/** A whole number in `[min, max]`; the message states the range the option really accepts. */
export function parseWholeNumber(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`, 2);
  }
  return Number(value);
}

const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
};

/**
 * A file the user named (an output, a state file) that cannot be read or written is one line,
 * not a stack trace: exit 2 for a path to fix, 1 for a full disk. Other errors are bugs.
 */
export function fileProblemOf(error: unknown): CliError | null {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof path !== 'string') return null;
  const why = FILE_PROBLEMS[code];
  if (why === undefined) return null;
  return new CliError(`cannot use ${path}: ${why}`, code === 'ENOSPC' || code === 'EDQUOT' ? 1 : 2);
}

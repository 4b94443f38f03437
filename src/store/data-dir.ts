// DATA_DIR failures in words a person can act on: which file or folder, what is wrong with it, and
// what to do. The raw errors ("ENOENT … mkdir", "file is not a database") name neither.
import { CodedError } from '../errors.js';

/** A DATA_DIR file or folder that cannot be used; `message` names it and says what to do. */
export class DataDirError extends CodedError {
  override name = 'DataDirError';
  constructor(
    message: string,
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('data_dir', message, { userSafe: true, cause: options?.cause });
  }
}

const FIX_FOLDER = 'Set DATA_DIR to a folder briefbot may write to, or fix the permissions of this one.';

/** Why a folder or file could not be created or opened, by its Node or SQLite error code. */
function reason(code: string): { what: string; fix: string } {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return { what: 'permission denied', fix: FIX_FOLDER };
    case 'EROFS':
      return { what: 'the file system is read-only', fix: FIX_FOLDER };
    case 'ENOTDIR':
    case 'EEXIST':
      return { what: 'a file stands where a folder should be', fix: 'Move that file away, or set DATA_DIR to another folder.' };
    case 'ENOSPC':
    case 'SQLITE_FULL':
      return { what: 'the disk is full', fix: 'Free some space, or set DATA_DIR to a folder on another disk.' };
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return { what: 'it is not a briefbot state database (damaged, or another kind of file)', fix: 'Move it aside (briefbot then starts with empty state), or restore it from a backup.' };
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return { what: 'it cannot be opened for writing', fix: FIX_FOLDER };
    default:
      return { what: code ? `error ${code}` : 'unknown error', fix: FIX_FOLDER };
  }
}

/** `err` from creating or opening `target` (a folder or a file under DATA_DIR), as a DataDirError. */
export function dataDirError(err: unknown, target: string, kind: 'folder' | 'state database' | 'index cache'): DataDirError {
  const code = String((err as { code?: unknown })?.code ?? '');
  const { what, fix } = reason(code);
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new DataDirError(`cannot use the ${kind} ${target}: ${what} (${detail}). ${fix}`, target, code, { cause: err });
}

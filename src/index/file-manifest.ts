// What each corpus file was when it was last read: its size, modification time and content hash,
// so that an open reads and hashes only the files whose size or time changed (a touched file is
// hashed again, and stays cached if its bytes did not change). One small JSON file beside the
// document cache, written whole after every read of the corpus.
import path from 'node:path';
import type { CorpusFile } from '../corpus/load.js';
import { readJson, writeAtomicAsync } from './cache-files.js';

const VERSION = 1;
/**
 * A file modified this close before it was listed is hashed again at the next open: a second
 * change within the file system's timestamp granularity and to the same size would leave its time
 * and size as recorded ("racy" files, as git calls them). Linux stamps files from a clock that
 * ticks every few milliseconds; a time in whole seconds is from a file system that keeps no finer
 * one (FAT keeps 2 s, HFS+ and ext3 1 s).
 */
export function racyMs(mtimeMs: number): number {
  return mtimeMs % 1000 === 0 ? 2000 : 50;
}

interface ManifestFile {
  version: number;
  /** id -> [size, mtimeMs, sha256, when it was listed] */
  files: Record<string, [number, number, string, number]>;
}

export class FileManifest {
  private readonly next: ManifestFile['files'] = Object.create(null);

  private constructor(
    private readonly file: string,
    private readonly known: ManifestFile['files'],
  ) {}

  /** The manifest of a document cache folder (empty when missing, damaged or of another version). */
  static read(cacheDir: string): FileManifest {
    const file = path.join(cacheDir, 'manifest.json');
    const m = readJson<ManifestFile>(file);
    const ok = m && m.version === VERSION && m.files && typeof m.files === 'object';
    return new FileManifest(file, ok ? m.files : Object.create(null));
  }

  /** The hash recorded for `file` if it has the size and time it had then (and was not racy). */
  unchanged(file: CorpusFile): string | undefined {
    const r = Object.hasOwn(this.known, file.id) ? this.known[file.id] : undefined;
    if (!Array.isArray(r) || r.length !== 4 || typeof r[2] !== 'string') return undefined;
    const [size, mtimeMs, hash, listedAt] = r;
    return size === file.size && mtimeMs === file.mtimeMs && mtimeMs < listedAt - racyMs(mtimeMs) ? hash : undefined;
  }

  /** Records what `file` (as listed at `listedAt`, Date.now()) held: `hash`. */
  record(file: CorpusFile, hash: string, listedAt: number): void {
    const old = this.unchanged(file) === hash ? this.known[file.id] : undefined;
    // A file trusted at this open keeps the time it was first listed at, so it stays trusted.
    this.next[file.id] = old ?? [file.size, file.mtimeMs, hash, listedAt];
    if (!old) this.changed = true;
  }

  /** Writes what was recorded (only the files of this open: a file gone is forgotten), unless it is what was read. */
  write(): Promise<void> {
    if (!this.changed && Object.keys(this.next).length === Object.keys(this.known).length) return Promise.resolve();
    return writeAtomicAsync(this.file, JSON.stringify({ version: VERSION, files: this.next } satisfies ManifestFile));
  }

  private changed = false;
}

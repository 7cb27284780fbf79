import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A size-capped tmpfs: a real full disk under SQLite. */
export interface ScratchFs {
  dir: string;
  close(): void;
}

function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
}

/** Null when this machine does not let the tests mount (not root, no CAP_SYS_ADMIN, no mount(8)). */
export function mountScratchFs(sizeBytes: number): ScratchFs | null {
  const dir = mkdtempSync(join(tmpdir(), 'secwire-fs-'));
  try {
    mount(['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir]);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    close() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Makes files immutable (`chattr +i`) or writable again: as root, the only way to make a file that a process holds
 * open refuse writes (modes do not bind root, and a file system with files open for writing cannot be remounted
 * read-only). False when chattr is missing or not permitted. The WAL index (-shm) is memory-mapped: leave it alone.
 */
export function setImmutable(files: string[], immutable: boolean): boolean {
  try {
    for (const file of files) execFileSync('chattr', [immutable ? '+i' : '-i', file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

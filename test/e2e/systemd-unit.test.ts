import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const UNIT = join(import.meta.dirname, '..', '..', 'examples', 'secwire.service');
const CLI = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const ANALYZE = '/usr/bin/systemd-analyze';

describe('examples/secwire.service', () => {
  const unit = readFileSync(UNIT, 'utf8');

  it('runs the daemon as a throwaway user with its state in StateDirectory and the system read-only', () => {
    for (const line of ['DynamicUser=yes', 'StateDirectory=secwire', 'ProtectSystem=strict', 'ExecReload=/bin/kill -HUP $MAINPID', 'RestartPreventExitStatus=2', 'Environment=SECWIRE_DB=/var/lib/secwire/secwire.db']) {
      expect(unit.split('\n')).toContain(line);
    }
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });

  it.skipIf(!existsSync(ANALYZE))('passes systemd-analyze verify', async () => {
    // verify also checks that ExecStart exists: point it at this checkout's CLI.
    const dir = mkdtempSync(join(tmpdir(), 'secwire-unit-'));
    const copy = join(dir, 'secwire.service');
    writeFileSync(copy, unit.replace(/^ExecStart=.*$/m, `ExecStart=${process.execPath} ${CLI} run`));
    const output = await new Promise<string>((resolve) => execFile(ANALYZE, ['verify', copy], (_error, stdout, stderr) => resolve(`${stdout}${stderr}`)));
    expect(output.split('\n').filter((line) => line.includes('secwire.service'))).toEqual([]);
  });
});

import { basename, dirname, join } from 'node:path';
import { renameSync, writeFileSync } from 'node:fs';
import { loadConfig } from './load.js';

/**
 * Replaces a configuration file with `text` only if it loads: the text is staged beside the target and
 * validated first, so a bad edit never leaves a broken config behind (the rejected text is kept for a look).
 */
export function replaceConfigFile(target: string, text: string, purpose: string): void {
  const staging = join(dirname(target), `.${basename(target)}.${purpose}-${process.pid}`);
  writeFileSync(staging, text);
  try {
    loadConfig({ configPath: staging });
  } catch (error) {
    renameSync(staging, `${staging}.rejected`);
    throw error;
  }
  renameSync(staging, target);
}

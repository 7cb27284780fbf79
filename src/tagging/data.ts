import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecwireError } from '../errors.js';
import type { BrandedFile, EntitiesFile, KevFile, TechniquesFile, VendorsFile, VictimsFile } from './data-format.js';

export interface TagData {
  entities: EntitiesFile;
  kev: KevFile;
  vendors: VendorsFile;
  victims: VictimsFile;
  techniques: TechniquesFile;
  branded: BrandedFile;
}

/** config/tags of the package: this file runs from src/tagging (vitest) or dist/src/tagging (compiled). */
export function defaultDataDir(): string {
  const up = import.meta.url.includes('/dist/') ? '../../../config/tags/' : '../../config/tags/';
  return fileURLToPath(new URL(up, import.meta.url));
}

function readData<T>(dir: string, file: string): T {
  const path = join(dir, file);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new SecwireError('ConfigError', `tag data ${path} is missing or broken (rebuild with npm run data:build): ${(error as Error).message}`, { file: path }, { cause: error });
  }
}

export function loadTagData(dir: string = defaultDataDir()): TagData {
  return {
    entities: readData(dir, 'entities.json'),
    kev: readData(dir, 'kev.json'),
    vendors: readData(dir, 'vendors.json'),
    victims: readData(dir, 'victims.json'),
    techniques: readData(dir, 'techniques.json'),
    branded: readData(dir, 'branded.json'),
  };
}

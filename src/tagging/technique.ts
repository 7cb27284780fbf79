/** ATT&CK technique IDs written in the text (T1059, T1059.001), kept only when ATT&CK knows them. */
const TECHNIQUE_PATTERN = /\bT(1\d{3})(?:\.(\d{3}))?\b/g;

export interface TechniqueHit {
  id: string;
  name: string;
  surface: string;
}

export function findTechniques(text: string, techniques: Readonly<Record<string, string>>): TechniqueHit[] {
  const hits: TechniqueHit[] = [];
  TECHNIQUE_PATTERN.lastIndex = 0;
  for (let match = TECHNIQUE_PATTERN.exec(text); match !== null; match = TECHNIQUE_PATTERN.exec(text)) {
    const [surface, base, sub] = match;
    const id = sub ? `T${base}.${sub}` : `T${base}`;
    const name = techniques[id];
    if (name !== undefined) hits.push({ id, name, surface });
  }
  return hits;
}

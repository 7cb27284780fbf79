/**
 * ATT&CK group and software IDs written in the text ("tracked as G0016", "S0154"): the entity with that
 * ID, when the data knows it. IDs inside a URL ("attack.mitre.org/groups/G0078/") are the target of a
 * link whose text names the entity already.
 */
const ATTACK_ID = /(?<![\w/.-])([GS])(\d{4})(?![\w/-])/g;

const ANY_ID = /[GS]\d{4}/;

export interface AttackIdHit {
  id: string;
  surface: string;
}

export function findAttackIds(text: string, known: ReadonlySet<string>): AttackIdHit[] {
  const hits: AttackIdHit[] = [];
  // A plain search first: most texts hold no ID, and the pattern's look-behind is slower to run.
  if (!ANY_ID.test(text)) return hits;
  ATTACK_ID.lastIndex = 0;
  for (let match = ATTACK_ID.exec(text); match !== null; match = ATTACK_ID.exec(text)) {
    const id = match[0];
    if (known.has(id)) hits.push({ id, surface: id });
  }
  return hits;
}

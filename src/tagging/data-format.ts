/**
 * The shape of the shipped gazetteers in `config/tags/*.json`, written by `scripts/data-build.ts` and read
 * by the tagger. Keys are short because the files ship with the package; every list is sorted so builds are
 * byte-for-byte reproducible.
 */

/** One real-world thing (a threat actor, a malware family, a vendor...). */
export interface EntityRecord {
  /** Tag value: lower-case slug, e.g. "apt29". */
  v: string;
  /** Display name, e.g. "APT29". */
  n: string;
  /** ATT&CK ID (G0016, S0154) when the thing is in ATT&CK. */
  id?: string;
  /** Aliases that match case-insensitively anywhere. */
  a: string[];
  /** Aliases that are English words: they match with their exact case and only near a context word. */
  w?: string[];
  /** Malware only: a ransomware family, so its operators also count as an actor ("the LockBit gang"). */
  r?: 1;
  /**
   * Malware only: a program the operating system ships (net, schtasks). Prose names it for the system's
   * own feature ("creating new schtasks", "tools like netstat"); it counts only written as its program
   * file ("net.exe") or as a command with a switch ("netstat -nao", "schtasks /create"). 2: the command
   * interpreter (cmd), through which every command runs ("injected into cmd.exe", "run via cmd.exe"):
   * it counts only with the command line it runs ("cmd.exe /c ping ...").
   */
  u?: 1 | 2;
  /**
   * Values of other entities of its type that a source lists among this one's names (FIN7: Carbanak).
   * Named as one by the writer ("FIN7, also known as Carbanak", "APT41 (Winnti Group)"), they are this one.
   */
  c?: string[];
}

export interface ProductRecord extends EntityRecord {
  /** Tag value of the vendor that makes it. */
  vendor: string;
}

/** KEV entry: [vendor value, product value, date added, 1 when known ransomware use]. */
export type KevRecord = [string, string, string, 0 | 1];

export interface KevFile {
  catalogVersion: string;
  cves: Record<string, KevRecord>;
}

export interface EntitiesFile {
  actors: EntityRecord[];
  malware: EntityRecord[];
}

export interface VendorsFile {
  vendors: EntityRecord[];
  products: ProductRecord[];
}

/** Country or sector: names count only when the text says it was the victim (see victim.ts). */
export interface PlaceRecord extends EntityRecord {
  /** Adjectives ("Japanese") that name the country before a noun. */
  adj?: string[];
}

export interface VictimsFile {
  countries: PlaceRecord[];
  sectors: EntityRecord[];
}

export interface TechniquesFile {
  /** T-ID -> name. */
  techniques: Record<string, string>;
}

/** Branded vulnerabilities: "Heartbleed" -> CVE-2014-0160. */
export interface BrandedFile {
  branded: { n: string; cves: string[] }[];
}

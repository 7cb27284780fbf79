/**
 * Incident types of an article: weighted cue phrases, counted more in the title and the lead, ignored when
 * negated ("was not a ransomware attack"), plus signals from the other tags (a CVE, a ransomware family).
 * A type is given when its score reaches its threshold. Chosen over a trained model because the labelled
 * data covers 5 of the 15 types; the weights are data (INCIDENT_CUES) and were tuned on half of CASIE.
 */
import { createGazetteer, type Gazetteer, type GazetteerEntry, type GazetteerHit } from './gazetteer.js';
import { startsSentence, type Token } from './tokens.js';

export const INCIDENT_TYPES = [
  'ransomware',
  'data-breach',
  'phishing',
  'ddos',
  'supply-chain',
  'zero-day',
  'vulnerability-disclosure',
  'patch-release',
  'malware-campaign',
  'espionage',
  'law-enforcement',
  'fraud',
  'hacktivism',
  'insider',
  'policy',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_NAMES: Record<IncidentType, string> = {
  ransomware: 'Ransomware',
  'data-breach': 'Data breach',
  phishing: 'Phishing',
  ddos: 'DDoS',
  'supply-chain': 'Supply chain',
  'zero-day': 'Zero-day',
  'vulnerability-disclosure': 'Vulnerability disclosure',
  'patch-release': 'Patch release',
  'malware-campaign': 'Malware campaign',
  espionage: 'Espionage',
  'law-enforcement': 'Law enforcement',
  fraud: 'Fraud',
  hacktivism: 'Hacktivism',
  insider: 'Insider',
  policy: 'Policy',
};

/** type -> [phrase, weight][]. Phrases match whole words, case-insensitively. */
export const INCIDENT_CUES: Record<IncidentType, readonly (readonly [string, number])[]> = {
  ransomware: [
    ['ransomware', 3], ['ransom', 2], ['ransom note', 3], ['ransom demand', 3], ['decryptor', 2], ['decryption key', 2],
    ['encrypted files', 2], ['encrypted their files', 2], ['double extortion', 3], ['extortion', 1], ['locked files', 2],
    ['pay the ransom', 3], ['bitcoin ransom', 3], ['file-encrypting', 3],
  ],
  'data-breach': [
    ['data breach', 4], ['breach', 2], ['breached', 2.5], ['breaches', 1.5], ['leaked', 2], ['leak', 1.5], ['data leak', 3],
    ['exposed', 1.5], ['stolen', 1.5], ['stole', 1.5], ['exfiltrated', 2], ['unauthorized access', 2.5],
    ['personal information', 2], ['personal data', 2], ['customer data', 2.5], ['records', 1], ['hacked', 1.5],
    ['compromised', 1], ['dumped', 1.5], ['credit card', 1.5], ['social security numbers', 2.5], ['email addresses', 1.5],
    ['passwords', 1], ['accounts', 0.5], ['database', 1], ['affected customers', 2], ['notified', 1.5], ['intrusion', 1.5],
    ['hackers', 1], ['hack', 1.5], ['cyberattack', 1], ['attackers', 1], ['security incident', 2],
    ['steal', 1.5], ['steals', 1.5], ['stealing', 1.5], ['phi', 2], ['credentials', 1], ['accessed', 1],
  ],
  phishing: [
    ['phishing', 4], ['spear-phishing', 4], ['spearphishing', 4], ['phish', 3], ['phishers', 3], ['malicious email', 2.5],
    ['malicious emails', 2.5], ['fake email', 2.5], ['email scam', 3], ['lure', 1.5], ['lures', 1.5], ['spoofed', 2],
    ['impersonating', 2], ['impersonate', 1.5], ['credential harvesting', 3], ['business email compromise', 4],
    ['fake login', 3], ['malicious attachment', 2.5], ['malicious link', 2.5], ['clicked', 1], ['scam', 1], ['emails', 1],
  ],
  ddos: [['ddos', 4], ['denial of service', 4], ['denial-of-service', 4], ['flood', 1.5], ['botnet', 1], ['traffic', 0.5]],
  'supply-chain': [
    ['supply chain attack', 4], ['supply-chain attack', 4], ['supply chain', 2], ['malicious package', 3],
    ['malicious packages', 3], ['dependency confusion', 4], ['typosquatting', 3], ['compromised update', 3], ['trojanized', 3],
    ['npm', 1.5], ['pypi', 1.5],
  ],
  'zero-day': [
    ['zero-day', 4], ['zero day', 4], ['0-day', 4], ['0day', 4], ['exploited in the wild', 4], ['actively exploited', 3],
    ['in-the-wild', 2], ['unpatched', 1.5],
  ],
  'vulnerability-disclosure': [
    ['vulnerability', 2], ['vulnerabilities', 2], ['flaw', 2], ['flaws', 2], ['bug', 1.5], ['bugs', 1.5],
    ['security hole', 2], ['remote code execution', 2.5], ['code execution', 1.5], ['privilege escalation', 2],
    ['sql injection', 2], ['cross-site scripting', 2], ['xss', 1.5], ['buffer overflow', 2], ['proof-of-concept', 2],
    ['proof of concept', 2], ['researchers', 1], ['researcher', 1], ['discovered', 1], ['disclosed', 1.5], ['exploit', 1],
    ['exploited', 1], ['exploitable', 1.5], ['advisory', 1.5], ['cvss', 2], ['bug bounty', 2],
  ],
  'patch-release': [
    ['patch', 2.5], ['patches', 2.5], ['patched', 2.5], ['security update', 3], ['security updates', 3], ['update', 1],
    ['updates', 1], ['fixed', 1.5], ['fixes', 1.5], ['fix', 1], ['addressed', 1.5], ['patch tuesday', 4],
    ['firmware update', 2.5], ['patching', 2], ['upgrade', 1], ['released', 1], ['version', 1], ['hotfix', 3], ['mitigations', 1],
  ],
  'malware-campaign': [
    ['malware', 2], ['trojan', 2], ['backdoor', 2], ['botnet', 2], ['spyware', 2], ['infostealer', 2], ['stealer', 1.5],
    ['campaign', 1.5], ['infected', 1.5], ['infections', 1.5], ['loader', 1], ['dropper', 1.5], ['command-and-control', 2],
    ['c2', 1.5], ['payload', 1], ['malvertising', 3], ['cryptominer', 2], ['wiper', 2],
  ],
  espionage: [
    ['espionage', 4], ['cyberespionage', 4], ['cyber espionage', 4], ['state-sponsored', 3], ['nation-state', 3],
    ['apt', 1.5], ['intelligence', 1], ['spying', 2.5], ['spy', 1.5], ['government-backed', 3], ['advanced persistent threat', 3],
  ],
  'law-enforcement': [
    ['arrested', 4], ['arrest', 3], ['charged', 2.5], ['indicted', 4], ['indictment', 4], ['sentenced', 4], ['extradited', 4],
    ['seized', 2.5], ['takedown', 3], ['europol', 3], ['fbi', 1.5], ['police', 2], ['pleaded guilty', 4], ['prison', 2.5],
    ['prosecutors', 2.5], ['law enforcement', 2], ['dismantled', 3], ['department of justice', 2.5],
  ],
  fraud: [
    ['fraud', 3], ['fraudulent', 2], ['fraudsters', 3], ['scam', 2], ['scammers', 3], ['money laundering', 3],
    ['carding', 3], ['stolen funds', 3], ['theft', 1], ['wire transfer', 2], ['fake invoices', 3],
  ],
  hacktivism: [
    ['hacktivist', 4], ['hacktivists', 4], ['hacktivism', 4], ['defaced', 4], ['defacement', 4], ['deface', 3],
    ['anonymous', 1.5], ['protest', 1.5],
  ],
  insider: [
    ['insider', 2.5], ['insider threat', 4], ['former employee', 4], ['rogue employee', 4], ['disgruntled', 3],
    ['employee stole', 4], ['ex-employee', 4],
  ],
  policy: [
    ['regulation', 2], ['regulations', 2], ['regulator', 2], ['regulators', 2], ['legislation', 3], ['bill', 1.5],
    ['executive order', 4], ['gdpr', 2], ['directive', 2], ['senators', 2.5], ['congress', 2], ['lawmakers', 3],
    ['policy', 1.5], ['compliance', 1], ['sanctions', 2.5], ['fined', 2], ['guidance', 1],
  ],
};

/** Score a type needs; tuned on half of CASIE (see scripts/eval-tags.ts). */
export const INCIDENT_THRESHOLDS: Record<IncidentType, number> = {
  ransomware: 3,
  'data-breach': 3.5,
  phishing: 3,
  ddos: 5,
  'supply-chain': 5,
  'zero-day': 5,
  'vulnerability-disclosure': 5,
  'patch-release': 5,
  'malware-campaign': 6,
  espionage: 5,
  'law-enforcement': 5,
  fraud: 5,
  hacktivism: 5,
  insider: 5,
  policy: 6,
};

/**
 * A type that usually comes with another needs less evidence when that other is given: a story that
 * discloses a flaw says less to tell that a fix shipped. Tuned on the even half of CASIE.
 */
export const INCIDENT_SUPPORT: Partial<Record<IncidentType, { given: IncidentType; threshold: number }>> = {
  'patch-release': { given: 'vulnerability-disclosure', threshold: 1 },
};

/** Weight of a cue in the title, and in the lead (first LEAD_CHARS of the body). */
const TITLE_FACTOR = 2;
const LEAD_FACTOR = 1.5;
const LEAD_CHARS = 400;
/** After this many, more of the same cue add nothing: repetition is not evidence. */
const MAX_REPEATS = 3;

const NEGATORS = new Set(['not', 'no', 'never', 'without', 'nor', 'denied', 'denies', 'isn', 'wasn', 'aren', 'weren', 'doesn', 'didn', 'hasn', 'haven']);
const NEGATION_WINDOW = 4;

export interface Cue {
  type: IncidentType;
  weight: number;
}

export interface IncidentSignals {
  hasCve: boolean;
  hasRansomwareFamily: boolean;
  hasKev: boolean;
}

/** A text with its words and the cue hits found in it (by this classifier's gazetteer or a shared one). */
export interface CueText {
  text: string;
  tokens: Token[];
  hits: GazetteerHit<Cue>[];
}

export interface IncidentClassifier {
  /** The cue phrases as gazetteer entries, for a caller that finds them in its own pass. */
  entries: GazetteerEntry<Cue>[];
  classify(title: string, titleTokens: Token[], body: string, bodyTokens: Token[], signals: IncidentSignals): { type: IncidentType; mentions: string[] }[];
  classifyHits(title: CueText, body: CueText, signals: IncidentSignals): { type: IncidentType; mentions: string[] }[];
  scores(title: string, titleTokens: Token[], body: string, bodyTokens: Token[], signals: IncidentSignals): Record<IncidentType, number>;
}

function negated(text: string, tokens: Token[], index: number): boolean {
  for (let i = index - 1; i >= Math.max(0, index - NEGATION_WINDOW); i -= 1) {
    const token = tokens[i] as Token;
    if (NEGATORS.has(token.lower)) return true;
    if (startsSentence(text, token)) return false;
  }
  return false;
}

export function createIncidentClassifier(
  cues: Record<IncidentType, readonly (readonly [string, number])[]> = INCIDENT_CUES,
  thresholds: Record<IncidentType, number> = INCIDENT_THRESHOLDS,
): IncidentClassifier {
  const entries: GazetteerEntry<Cue>[] = INCIDENT_TYPES.flatMap((type) =>
    cues[type].map(([phrase, weight]) => ({ data: { type, weight }, alias: phrase, caseSensitive: false, needsContext: false })),
  );
  // Built on first use of classify()/scores(): the tagger finds the cues in its own shared pass.
  let ownGazetteer: Gazetteer<Cue> | undefined;
  const gazetteer = (): Gazetteer<Cue> => (ownGazetteer ??= createGazetteer(entries));

  const score = (
    { text, tokens, hits }: CueText,
    factorOf: (token: Token) => number,
    totals: Record<IncidentType, number>,
    mentions: Map<IncidentType, Set<string>>,
  ): void => {
    const repeats = new Map<GazetteerEntry<Cue>, number>();
    for (const hit of hits) {
      if (negated(text, tokens, hit.from)) continue;
      const { type, weight } = hit.entry.data;
      // One entry per (type, phrase): counting by entry is counting by that pair.
      const seen = repeats.get(hit.entry) ?? 0;
      if (seen >= MAX_REPEATS) continue;
      repeats.set(hit.entry, seen + 1);
      totals[type] += weight * factorOf(tokens[hit.from] as Token);
      const set = mentions.get(type) ?? new Set<string>();
      set.add(hit.surface);
      mentions.set(type, set);
    }
  };

  const run = (title: CueText, body: CueText, signals: IncidentSignals) => {
    const totals = Object.fromEntries(INCIDENT_TYPES.map((type) => [type, 0])) as Record<IncidentType, number>;
    const mentions = new Map<IncidentType, Set<string>>();
    score(title, () => TITLE_FACTOR, totals, mentions);
    score(body, (token) => (token.start < LEAD_CHARS ? LEAD_FACTOR : 1), totals, mentions);
    if (signals.hasCve) totals['vulnerability-disclosure'] += 3;
    if (signals.hasRansomwareFamily) totals.ransomware += 1;
    if (signals.hasKev) totals['zero-day'] += 1;
    return { totals, mentions };
  };
  const cueText = (text: string, tokens: Token[]): CueText => ({ text, tokens, hits: gazetteer().find(text, tokens) });
  const classifyHits = (title: CueText, body: CueText, signals: IncidentSignals): { type: IncidentType; mentions: string[] }[] => {
    const { totals, mentions } = run(title, body, signals);
    const given = (type: IncidentType): boolean => totals[type] >= thresholds[type];
    const reached = (type: IncidentType): boolean => {
      if (given(type)) return true;
      const support = INCIDENT_SUPPORT[type];
      return support !== undefined && given(support.given) && totals[type] >= support.threshold;
    };
    return INCIDENT_TYPES.filter(reached).map((type) => ({
      type,
      mentions: [...(mentions.get(type) ?? [])].sort(),
    }));
  };

  return {
    entries,
    scores: (title, titleTokens, body, bodyTokens, signals) => run(cueText(title, titleTokens), cueText(body, bodyTokens), signals).totals,
    classify: (title, titleTokens, body, bodyTokens, signals) => classifyHits(cueText(title, titleTokens), cueText(body, bodyTokens), signals),
    classifyHits,
  };
}

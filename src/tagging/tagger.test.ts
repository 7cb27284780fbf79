import { describe, expect, it } from 'vitest';
import { SecwireError } from '../errors.js';
import { findCves } from './cve.js';
import { loadTagData } from './data.js';
import { createTagger } from './index.js';
import { findIocs } from './ioc.js';
import { normaliseTagSlug, parseTagSlug } from './slug.js';
import { nameTokens } from './tokens.js';
import { compileWatchlist } from './watchlist.js';

const tagger = createTagger();
const slugs = (title: string, text: string, html?: string): string[] => tagger.tag({ title, text, html: html ?? null }).tags.map((tag) => tag.slug);

describe('CVE IDs', () => {
  it('reads every spelling and upper-cases', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    expect(findCves('CVE-2024-3400, cve 2024 3400, CVE\u20132021\u201344228 and CVE_2023_12345', now).map((hit) => hit.id)).toEqual([
      'CVE-2024-3400',
      'CVE-2024-3400',
      'CVE-2021-44228',
      'CVE-2023-12345',
    ]);
  });
  it('rejects invalid ones', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    expect(findCves('CVE-1998-1234 CVE-2031-1234 CVE-2024-123 CVE-2024-01234 CVE-2024-0000', now)).toEqual([]);
  });
  it('tags KEV entries with their vendor and product', () => {
    const tags = slugs('Firewall flaw', 'Attackers exploit CVE-2024-3400 in firewalls.');
    expect(tags).toEqual(expect.arrayContaining(['cve:CVE-2024-3400', 'kev:CVE-2024-3400', 'vendor:palo-alto-networks', 'product:palo-alto-networks-pan-os']));
    expect(slugs('', 'CVE-2024-99999 is new.')).toContain('cve:CVE-2024-99999');
    expect(slugs('', 'CVE-2024-99999 is new.')).not.toContain('kev:CVE-2024-99999');
  });
});

describe('names', () => {
  it('merges ATT&CK, MISP and Microsoft names into one actor', () => {
    const result = tagger.tag({ title: '', text: 'Cozy Bear, which Microsoft calls Midnight Blizzard and once NOBELIUM, struck again.' });
    const actor = result.tags.find((tag) => tag.slug === 'actor:apt29');
    expect(actor?.ids?.attack).toBe('G0016');
    expect(actor?.mentions).toEqual(['Cozy Bear', 'Midnight Blizzard', 'NOBELIUM']);
    expect(result.tags.filter((tag) => tag.type === 'actor')).toHaveLength(1);
  });
  it('accepts case and spacing variants', () => {
    expect(slugs('', 'The Trickbot loader and TRICKBOT again.')).toContain('malware:trickbot');
    expect(slugs('', 'Researchers tied it to APT 40 and APT-40.')).toContain('actor:leviathan');
  });
  it('needs context for English-word aliases', () => {
    expect(slugs('', 'The maze of rules confused everyone in August.')).not.toContain('malware:maze');
    expect(slugs('', 'The Maze ransomware encrypted the servers.')).toContain('malware:maze');
    expect(slugs('', 'One of the reasons was the Net price.')).toEqual(expect.not.arrayContaining(['malware:one', 'malware:net', 'actor:one']));
    expect(slugs('', 'The attackers ran the Net command to list users.')).toContain('malware:net');
    expect(slugs('', 'A beacon of hope.')).toEqual([]);
  });
  it('reads an alias that is a country or its adjective only with context', () => {
    const threats = (text: string): string[] => slugs('', text).filter((slug) => /^(actor|malware):/.test(slug));
    expect(threats('Russian officials met their Turkish and Brazilian peers to discuss Cuba and Venezuela.')).toEqual([]);
    expect(threats('The Cuba ransomware encrypted the files.')).toEqual(['malware:cuba']);
  });
  it('reads an English-word alias listed beside a name of its kind', () => {
    expect(slugs('', 'The intruders ran Mimikatz and BloodHound on the domain.')).toContain('malware:bloodhound');
    expect(slugs('', 'The intruders ran Mimikatz, Metasploit, and BloodHound.')).toContain('malware:bloodhound');
    expect(slugs('', 'A BloodHound followed the trail.')).not.toContain('malware:bloodhound');
    expect(slugs('', 'Microsoft and BloodHound were in the news.')).not.toContain('malware:bloodhound');
    expect(slugs('', 'Mimikatz ran. Later a BloodHound followed the trail.')).not.toContain('malware:bloodhound');
  });
  it('reads two names given as one group as the group whose sources claim the other', () => {
    const actors = (text: string): string[] => slugs('', text).filter((slug) => slug.startsWith('actor:'));
    expect(actors('The loader belongs to TA3546, also known as FIN7 or Carbanak.')).toEqual(['actor:fin7']);
    expect(actors('Winnti Group (APT41) was charged.')).toEqual(['actor:apt41']);
    expect(actors('Both FIN7 and Carbanak were active.')).toEqual(['actor:carbanak', 'actor:fin7']);
    expect(actors('FIN7 (Carbanak) struck again. Carbanak itself dates from 2014.')).toEqual(['actor:carbanak', 'actor:fin7']);
  });
  it('keeps an alias with the ATT&CK group when MISP gives it to several groups', () => {
    const actors = tagger.tag({ title: '', text: 'Emissary Panda, also called APT27, returned.' }).tags.filter((tag) => tag.type === 'actor');
    expect(actors.map((tag) => [tag.slug, tag.ids?.attack])).toEqual([['actor:threat-group-3390', 'G0027']]);
  });
  it('gives a name held by a group and a malware family to the one named so', () => {
    expect(slugs('', 'Turla operators targeted embassies.')).toEqual(expect.arrayContaining(['actor:turla']));
    expect(slugs('', 'Turla operators targeted embassies.')).not.toContain('malware:uroburos');
    expect(slugs('', 'The SeaDuke backdoor was found.')).not.toContain('actor:apt29');
  });
  it('reads a name that is both a group and a malware family by its neighbours', () => {
    const types = (text: string): string[] => slugs('', text).filter((slug) => slug.startsWith('actor:carbanak') || slug.startsWith('malware:carbanak'));
    expect(types('The actor Carbanak struck banks again.')).toEqual(['actor:carbanak']);
    expect(types('The Carbanak backdoor was installed on the host.')).toEqual(['malware:carbanak']);
    expect(types('Carbanak is back.')).toEqual(['actor:carbanak', 'malware:carbanak']);
  });
  it('lets a ransomware family keep the name of its gang', () => {
    expect(slugs('', 'The Play ransomware encrypted the servers.')).toContain('malware:playcrypt');
  });
  it('does not read vendor names as threat names', () => {
    const tags = slugs('', 'The address belongs to Alibaba Cloud, a hosting provider.');
    expect(tags.filter((slug) => /^(actor|malware):/.test(slug))).toEqual([]);
    expect(slugs('', 'McAfee and Zimbra shipped fixes; SolarWinds Orion was patched.').filter((slug) => /^(actor|malware):/.test(slug))).toEqual([]);
    // Microsoft lists the mail client among a group's names; it names the client.
    expect(slugs('', 'It steals credentials from Foxmail and Outlook.').filter((slug) => /^(actor|malware):/.test(slug))).toEqual([]);
  });
  it('needs context for short letter-only aliases', () => {
    expect(slugs('', 'The parcel came by UPS on Monday.')).not.toContain('actor:apt3');
    expect(slugs('', 'Researchers tied the intrusion to the UPS group.')).toContain('actor:apt3');
  });
  it('needs a context word right next to an alias of three characters or fewer', () => {
    expect(slugs('', 'Analysts observed a phishing campaign spoofing UPS branding.')).not.toContain('actor:apt3');
    expect(slugs('', 'The update added TOR for command and control traffic.')).not.toContain('malware:tor');
    expect(slugs('', 'The operators encrypted the files at 3am and asked for ransomware payments within 24H.')).toEqual(
      expect.not.arrayContaining(['malware:3am', 'malware:24h']),
    );
    expect(slugs('', 'Files were locked by the 24H ransomware overnight.')).toContain('malware:24h');
  });
  it('reads an alias in capitals that is a rarer English word only with its capital and context', () => {
    expect(slugs('', 'The stealer empties wallets such as Electrum, Exodus and Atomic.')).not.toContain('actor:sandworm-team');
    expect(slugs('', 'Microsoft said the Nobelium group was behind the intrusion.')).toContain('actor:apt29');
    expect(slugs('', 'Microsoft said the NOBELIUM group was behind the intrusion.')).toContain('actor:apt29');
    expect(slugs('', 'Traces of nobelium group elements were found.')).not.toContain('actor:apt29');
  });
  it('never reads an English-word alias given in lower case as written in lower case', () => {
    expect(slugs('', 'Heavy fog closed the airport as ransomware attacks rose elsewhere.')).not.toContain('malware:fog');
    expect(slugs('', 'The Fog ransomware hit a university.')).toContain('malware:fog');
  });
  it('ships no alias shorter than three characters, and only context-bound ones of three', () => {
    const data = loadTagData();
    for (const record of [...data.entities.actors, ...data.entities.malware, ...data.vendors.vendors, ...data.vendors.products]) {
      for (const alias of record.a) expect(nameTokens(alias).join('').length, `${record.v}: ${alias}`).toBeGreaterThan(3);
      for (const alias of record.w ?? []) expect(nameTokens(alias).join('').length, `${record.v}: ${alias}`).toBeGreaterThanOrEqual(3);
    }
    expect(slugs('', 'The DN value and the dn field were empty.').filter((slug) => /^(actor|malware):/.test(slug))).toEqual([]);
  });
  it('reads a name of two words written as one', () => {
    expect(slugs('', 'The JSSLoader malware returned, followed by CobaltStrike beacons.')).toEqual(
      expect.arrayContaining(['malware:jss-loader', 'malware:cobalt-strike']),
    );
  });
  it('gives a bare name to the group named by it and a kind word', () => {
    const tags = slugs('', 'The Winnti hackers returned with a new campaign.');
    expect(tags).toContain('actor:winnti-group');
    expect(tags).not.toContain('actor:apt41');
  });
  it('ignores names in a link that is the headline of another story', () => {
    expect(slugs('', 'Further reading: [Lazarus Group targets banks in a new wave](https://example.com/x).')).not.toContain('actor:lazarus-group');
    expect(slugs('', 'Sources: Kaspersky, [Shedding Skin – Turla’s Fresh Faces]\n(https://example.com/turla).')).not.toContain('actor:turla');
    expect(slugs('', 'The [Lazarus Group](https://example.com/x) targeted banks again.')).toContain('actor:lazarus-group');
  });
  it('ignores names inside URLs, code and file names', () => {
    expect(slugs('', 'Read more at https://example.com/blog/trickbot-returns-emotet and [here](/posts/lockbit-news).')).toEqual([]);
    expect(slugs('', 'A .NET executable set REG_SZ values and ran REG_TIME.ps1 against $HOME_NET hosts.').filter((slug) => slug.startsWith('malware:'))).toEqual([]);
    expect(slugs('', 'The Net command listed users; the Reg utility changed keys.')).toEqual(expect.arrayContaining(['malware:net', 'malware:reg']));
  });
  it('reads a tool named by its program file', () => {
    expect(slugs('', 'They ran ping.exe and certutil.exe on the host.')).toEqual(expect.arrayContaining(['malware:ping', 'malware:certutil']));
    expect(slugs('', 'A ping of the server timed out.')).not.toContain('malware:ping');
  });
  it('reads a system utility only where it is run as a program', () => {
    expect(slugs('', 'The rootkit hides connections from tools like netstat.')).not.toContain('malware:netstat');
    expect(slugs('', 'Persistence comes from creating new schtasks.')).not.toContain('malware:schtasks');
    expect(slugs('', 'The implant ran netstat -nao and then schtasks /create /tn Updater.')).toEqual(expect.arrayContaining(['malware:netstat', 'malware:schtasks']));
    expect(slugs('', 'The script runs the ipconfig command and uploads the output.')).toContain('malware:ipconfig');
    expect(slugs('', 'It spawned net.exe to list the users.')).toContain('malware:net');
  });
  it('keeps a system utility apart from a family of the same name', () => {
    const cmd = loadTagData().entities.malware.find((record) => record.v === 'cmd');
    expect(cmd?.u).toBe(2);
    expect(cmd?.r).toBeUndefined();
    expect(slugs('', 'The payload was injected into cmd.exe /c start and the gang moved on.')).not.toContain('actor:cmd');
  });
  it('reads the command interpreter only with the command line it runs', () => {
    expect(slugs('', 'The payload was injected into a new cmd.exe process.')).not.toContain('malware:cmd');
    expect(slugs('', 'It runs cmd.exe /c whoami and sends the output.')).toContain('malware:cmd');
  });
  it('matches a name of several words only when its words stand apart plainly', () => {
    expect(slugs('', 'Mustang Panda, also tracked as TEMP.Hex, sent lures.')).toContain('actor:mustang-panda');
    expect(slugs('', 'The script set temp=hex(value) in a loop.')).not.toContain('actor:mustang-panda');
  });
  it('tags a ransomware gang as actor and malware', () => {
    const tags = slugs('', 'The LockBit gang claimed the attack; LockBit encrypted files.');
    expect(tags).toEqual(expect.arrayContaining(['actor:lockbit', 'malware:lockbit']));
    expect(slugs('', 'LockBit encrypted files.')).not.toContain('actor:lockbit');
  });
  it('reads ATT&CK group and software IDs written in the text, not in links', () => {
    const tags = tagger.tag({ title: '', text: 'MITRE tracks the group as G0016; its loader is S0154.' }).tags;
    expect(tags.filter((tag) => tag.type === 'actor' || tag.type === 'malware').map((tag) => [tag.slug, tag.ids?.attack])).toEqual([
      ['actor:apt29', 'G0016'],
      ['malware:cobalt-strike', 'S0154'],
    ]);
    expect(slugs('', 'See https://attack.mitre.org/groups/G0016/ and part SG0016 or G9999.')).toEqual([]);
  });
  it('reads ATT&CK technique IDs', () => {
    const result = tagger.tag({ title: '', text: 'They used T1059.001 and T1566, not T9999.' });
    expect(result.tags.filter((tag) => tag.type === 'technique').map((tag) => [tag.slug, tag.name])).toEqual([
      ['technique:T1059.001', 'PowerShell'],
      ['technique:T1566', 'Phishing'],
    ]);
  });
  it('ignores navigation and related-link text in HTML', () => {
    const html =
      '<article><p>A plain story about printers.</p></article><nav><a href="/x">Emotet returns</a></nav>' +
      '<aside>LockBit news</aside><div class="related-posts"><p>Conti gang hits bank</p></div>' +
      '<ul><li><a href="/a">TrickBot is back</a></li><li><a href="/b">More</a></li></ul>';
    expect(slugs('Printers', '', html).filter((slug) => /^(actor|malware):/.test(slug))).toEqual([]);
  });
});

describe('incidents', () => {
  it('classifies and honours negation', () => {
    expect(slugs('Hospital hit by ransomware', 'The ransomware attack encrypted patient records and a ransom note demanded payment.')).toContain('incident:ransomware');
    expect(slugs('Outage at city hall', 'Officials said it was not a ransomware attack but a power failure.')).not.toContain('incident:ransomware');
    expect(slugs('Phishing emails impersonate banks', 'A phishing campaign sent fake login pages.')).toContain('incident:phishing');
  });
});

describe('data theft', () => {
  it('reads stolen data as a data breach', () => {
    expect(slugs('Clinic data stolen', 'Attackers accessed the clinic network to steal PHI and credentials of patients.')).toContain('incident:data-breach');
    expect(slugs('Clinic opens', 'The clinic opened a new wing for patients.')).not.toContain('incident:data-breach');
  });
});

describe('incident support', () => {
  it('takes less evidence of a patch in a story that discloses a flaw', () => {
    const disclosed = 'Researchers disclosed a remote code execution vulnerability in the router firmware, a flaw found last month.';
    expect(slugs('Router flaw', `${disclosed} The vendor has a fix.`)).toEqual(expect.arrayContaining(['incident:vulnerability-disclosure', 'incident:patch-release']));
    expect(slugs('Router flaw', disclosed)).not.toContain('incident:patch-release');
    expect(slugs('Shop news', 'The shop has a fix for broken umbrellas.')).not.toContain('incident:patch-release');
  });
});

describe('victims', () => {
  it('tags the victim country and sector, not the attacker country', () => {
    const tags = slugs('', 'Russian hackers breached a Japanese bank last week.');
    expect(tags).toEqual(expect.arrayContaining(['country:jp', 'sector:finance']));
    expect(tags).not.toContain('country:ru');
    expect(slugs('', 'The report was written in Germany over the summer.')).not.toContain('country:de');
    expect(slugs('', 'A ransomware attack hit hospitals in Germany.')).toEqual(expect.arrayContaining(['country:de', 'sector:healthcare']));
  });
});

describe('IoCs', () => {
  it('refangs defanged indicators and keeps them out of the tags', () => {
    const iocs = findIocs('C2 at hxxps://bad[.]example[.]com/gate.php and evil[.]top, from 203.0.113.7; hash 44d88612fea8a8f36de82e1278abb02f. Read https://news.example.com/story.');
    expect(iocs).toEqual(
      expect.arrayContaining([
        { type: 'url', value: 'https://bad.example.com/gate.php' },
        { type: 'domain', value: 'evil.top' },
        { type: 'ipv4', value: '203.0.113.7' },
        { type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' },
      ]),
    );
    expect(iocs.some((ioc) => ioc.value.includes('news.example.com'))).toBe(false);
  });
});

describe('slugs and forced tags', () => {
  it('normalises slugs', () => {
    expect(normaliseTagSlug('Actor:APT29')).toBe('actor:apt29');
    expect(normaliseTagSlug('cve:cve-2021-44228')).toBe('cve:CVE-2021-44228');
    expect(normaliseTagSlug('technique:t1059.001')).toBe('technique:T1059.001');
    expect(parseTagSlug('bogus:x')).toBeNull();
  });
  it('adds forced tags', () => {
    expect(tagger.tag({ title: 'x', text: '' }, { forcedTags: ['source:zdnet-security', 'vendor:Panasonic'] }).tags.map((tag) => tag.slug)).toEqual([
      'vendor:panasonic',
      'source:zdnet-security',
    ]);
  });
});

describe('watchlists', () => {
  const article = { title: 'Panasonic patches camera flaw', text: 'Hitachi and Fortinet also shipped fixes.', tags: ['vendor:fortinet', 'cve:CVE-2024-1'] };
  it('matches tags any-of and queries', () => {
    expect(compileWatchlist({ name: 'v', match: { tags: ['vendor:ivanti', 'Vendor:Fortinet'] } })(article)).toBe(true);
    expect(compileWatchlist({ name: 'v', match: { tags: ['vendor:ivanti'] } })(article)).toBe(false);
    expect(compileWatchlist({ name: 'q', match: { query: 'panasonic OR "hitachi vantara"' } })(article)).toBe(true);
    expect(compileWatchlist({ name: 'q', match: { query: '"camera flaw" -router' } })(article)).toBe(true);
    expect(compileWatchlist({ name: 'q', match: { query: 'camera -hitachi' } })(article)).toBe(false);
    expect(compileWatchlist({ name: 'b', match: { tags: ['vendor:fortinet'], query: 'ivanti' } })(article)).toBe(false);
  });
  it('rejects bad queries with a QueryError', () => {
    for (const query of ['OR x', 'x OR', '"open', '', '-"']) {
      expect(() => compileWatchlist({ name: 'bad', match: { query } })).toThrow(SecwireError);
    }
    try {
      compileWatchlist({ name: 'bad', match: { query: '"open' } });
    } catch (error) {
      expect((error as SecwireError).kind).toBe('QueryError');
    }
  });
});

/** Constants the command line needs before any command module is loaded (option choices, help text). */

export const EXPORT_FORMATS = ['rss', 'atom', 'json', 'markdown', 'opml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const SEARCH_HELP = `
Query language:
  ivanti zero-day              all words (AND); hyphenated words are phrases
  "connect secure"             a phrase
  fortinet OR ivanti           either
  -phishing                    exclude a word or phrase
  ransom*                      prefix
  tag:actor:apt29              a tag; short forms: cve:CVE-2024-3400 actor:apt29 malware:lockbit vendor:fortinet
                               product:... technique:T1566 incident:ransomware sector:healthcare country:jp kev:...
  -tag:incident:phishing       exclude a tag
  source:bleepingcomputer      one source (-source:x excludes it)
  since:2024-01-01 until:7d    dates: YYYY, YYYY-MM, YYYY-MM-DD, or relative 12h 7d 2w 6m 1y
  sort:date | sort:relevance   default: relevance with words, date without. Relevance ranks the newest
                               search.relevanceWindow matches (default 200): words in the title first, then
                               in tag names, then the body; newest first on ties. sort:date lists every match.
Examples:
  secwire search 'ivanti zero-day since:2024-01-01'
  secwire search 'tag:actor:apt29 -tag:incident:phishing' --format json`;

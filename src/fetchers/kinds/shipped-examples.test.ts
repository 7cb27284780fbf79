import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadShippedSources, shippedSourcesFile } from '../../config/load.js';
import { sourceSchema } from '../../config/schema.js';
import { parseListing } from './html.js';
import { parseJsonListing } from './json.js';

const NOW = new Date('2025-07-30T12:00:00Z');

/** The commented-out html examples of config/sources.yaml, uncommented and validated as users would. */
function listingExamples() {
  const text = readFileSync(shippedSourcesFile(), 'utf8');
  const block = /# BEGIN html listing examples\n([\s\S]*?)\n\s*# END html listing examples/.exec(text)?.[1] ?? '';
  const yaml = block.split('\n').map((line) => line.replace(/^\s*# ?/, '')).join('\n');
  return (parse(yaml) as unknown[]).map((entry) => sourceSchema.parse(entry));
}

/** Synthetic pages with the outlets' listing markup (class names and nesting), not their content. */
const bleepingLike = `<html><body><ul id="bc-home-news-main-wrap">
${[1, 2].map((n) => `<li><div class="bc_latest_news_img"><a href="https://www.bleepingcomputer.com/news/security/story-${n}/"><img src="x.jpg"></a></div>
<div class="bc_latest_news_text"><div class="bc_latest_news_category"><span class="bc_cat">Security</span></div>
<h4><a href="https://www.bleepingcomputer.com/news/security/story-${n}/">Synthetic story ${n}</a></h4><p>Synthetic teaser ${n}.</p>
<ul><li class="bc_news_author">By <a href="/author/x/">X</a></li><li class="bc_news_date">July 2${n}, 2025</li><li class="bc_news_time">10:0${n} AM</li></ul></div></li>`).join('\n')}
</ul><ul class="cz-pagination"><li><a href="/news/security/page/2/" aria-label="Next Page">Next</a></li></ul></body></html>`;

const thnLike = `<html><body><div class="blog-posts clear">
${[1, 2].map((n) => `<div class="body-post clear"><a class="story-link" href="https://thehackernews.com/2025/07/synthetic-${n}.html">
<div class="clear home-post-box cf"><div class="home-img clear"><img alt="x"></div><div class="clear home-right">
<h2 class="home-title">Synthetic headline ${n}</h2><div class="item-label"><span class="h-datetime"><i class="icon-font icon-calendar"></i>Jul 2${n}, 2025</span>
<span class="h-tags">Vulnerability</span></div><div class="home-desc"> Synthetic description ${n}.</div></div></div></a></div>`).join('\n')}
</div><a class="blog-pager-older-link-mobile" href="https://thehackernews.com/search?updated-max=2025-07-20T10:00:00%2B05:30&amp;max-results=12">Next Page</a></body></html>`;

describe('shipped source kind examples', () => {
  it('the BleepingComputer and The Hacker News listing definitions read pages with their markup', () => {
    const [bleeping, thn] = listingExamples();
    expect(bleeping?.id).toBe('bleepingcomputer-listing');
    const first = parseListing(bleepingLike, bleeping!.url, bleeping!.html!, NOW);
    expect(first.items.map((i) => [i.title, i.link, i.published, i.summary])).toEqual([
      ['Synthetic story 1', 'https://www.bleepingcomputer.com/news/security/story-1/', '2025-07-21T00:00:00.000Z', 'Synthetic teaser 1.'],
      ['Synthetic story 2', 'https://www.bleepingcomputer.com/news/security/story-2/', '2025-07-22T00:00:00.000Z', 'Synthetic teaser 2.'],
    ]);
    expect(first.next).toBe('https://www.bleepingcomputer.com/news/security/page/2/');
    expect(thn?.id).toBe('thehackernews-listing');
    const second = parseListing(thnLike, thn!.url, thn!.html!, NOW);
    expect(second.items.map((i) => [i.title, i.link, i.published, i.summary])).toEqual([
      ['Synthetic headline 1', 'https://thehackernews.com/2025/07/synthetic-1.html', '2025-07-21T00:00:00.000Z', 'Synthetic description 1.'],
      ['Synthetic headline 2', 'https://thehackernews.com/2025/07/synthetic-2.html', '2025-07-22T00:00:00.000Z', 'Synthetic description 2.'],
    ]);
    expect(second.next).toMatch(/^https:\/\/thehackernews\.com\/search\?updated-max=/);
  });

  it('the shipped CISA KEV source maps a catalog entry to "CISA adds CVE-... (vendor product) to KEV" with its tags', () => {
    const kev = loadShippedSources().find((s) => s.id === 'cisa-kev');
    expect(kev?.kind).toBe('json');
    const catalog = { title: 'CISA Catalog of Known Exploited Vulnerabilities', vulnerabilities: [{ cveID: 'CVE-2099-1234', vendorProject: 'Acme', product: 'Gateway', vulnerabilityName: 'Acme Gateway Flaw', dateAdded: '2025-07-28', shortDescription: 'A flaw.', requiredAction: 'Patch.', dueDate: '2025-08-18' }] };
    const [item] = parseJsonListing(JSON.stringify(catalog), kev!.url, kev!.json!, NOW).items;
    expect(item).toMatchObject({
      id: 'CVE-2099-1234',
      title: 'CISA adds CVE-2099-1234 (Acme Gateway) to KEV',
      link: 'https://nvd.nist.gov/vuln/detail/CVE-2099-1234',
      published: '2025-07-28T00:00:00.000Z',
      summary: 'Acme Gateway Flaw. A flaw. Required action: Patch. Due date: 2025-08-18.',
      tags: ['kev:CVE-2099-1234', 'cve:CVE-2099-1234', 'vendor:acme', 'product:acme-gateway'],
    });
  });
});

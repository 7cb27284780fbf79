import { describe, expect, it } from 'vitest';
import type { JsonMappingConfig } from '../../types.js';
import { field, parseJsonListing, valueAt } from './json.js';

const NOW = new Date('2025-07-30T12:00:00Z');

const KEV_LIKE: JsonMappingConfig = {
  items: 'vulnerabilities',
  id: 'cveID',
  title: 'CISA adds {cveID} ({vendorProject} {product}) to KEV',
  link: 'https://nvd.nist.gov/vuln/detail/{cveID}',
  date: 'dateAdded',
  summary: '{vulnerabilityName}. {shortDescription}',
  tags: ['kev:{cveID}', 'cve:{cveID}', 'vendor:{vendorProject}', 'product:{vendorProject} {product}'],
};

const catalog = JSON.stringify({
  title: 'Synthetic KEV',
  vulnerabilities: [
    { cveID: 'CVE-2099-0001', vendorProject: 'Acme Networks', product: 'EdgeOS', vulnerabilityName: 'Acme EdgeOS Injection', shortDescription: 'An injection.', dateAdded: '2025-07-28' },
    { cveID: 'CVE-2099-0002', vendorProject: 'Globex', product: 'Portal', dateAdded: '2025-07-29' },
  ],
});

describe('parseJsonListing', () => {
  it('maps a KEV-like catalog: templated titles and links, dates, ids, asserted tags as slugs', () => {
    const listing = parseJsonListing(catalog, 'https://kev.example/kev.json', KEV_LIKE, NOW);
    expect(listing.title).toBe('Synthetic KEV');
    const [first, second] = listing.items;
    expect(first).toMatchObject({
      id: 'CVE-2099-0001',
      title: 'CISA adds CVE-2099-0001 (Acme Networks EdgeOS) to KEV',
      link: 'https://nvd.nist.gov/vuln/detail/CVE-2099-0001',
      published: '2025-07-28T00:00:00.000Z',
      summary: 'Acme EdgeOS Injection. An injection.',
      tags: ['kev:CVE-2099-0001', 'cve:CVE-2099-0001', 'vendor:acme-networks', 'product:acme-networks-edgeos'],
    });
    expect(second?.summary).toBeNull();
  });

  it('reads dotted paths through objects and arrays, and relative links against the endpoint', () => {
    const text = JSON.stringify({ data: { advisories: [{ name: 'Advisory 1', meta: { url: '/adv/1', when: '1753700000' } }] } });
    const listing = parseJsonListing(text, 'https://adv.example/api/list', { items: 'data.advisories', title: 'name', link: 'meta.url', date: 'meta.when', summary: null, id: null, tags: [] }, NOW);
    expect(listing.items[0]).toMatchObject({ title: 'Advisory 1', link: 'https://adv.example/adv/1', published: '2025-07-28T10:53:20.000Z', id: null });
    expect(valueAt({ a: [{ b: 1 }] }, 'a.0.b')).toBe(1);
    expect(valueAt([1, 2], '')).toEqual([1, 2]);
    expect(field({ a: 'x' }, 'missing')).toBe('');
  });

  it('is a MappingError when the items path is not an array or no entry has a title', () => {
    expect(() => parseJsonListing(catalog, 'https://kev.example/', { ...KEV_LIKE, items: 'vulns' }, NOW)).toThrow(expect.objectContaining({ kind: 'MappingError', details: expect.objectContaining({ key: 'items' }) }));
    expect(() => parseJsonListing(catalog, 'https://kev.example/', { ...KEV_LIKE, title: 'headline' }, NOW)).toThrow(expect.objectContaining({ kind: 'MappingError', details: expect.objectContaining({ key: 'title' }) }));
  });

  it('is a ParseError when the body is not JSON', () => {
    expect(() => parseJsonListing('<html>', 'https://kev.example/', KEV_LIKE, NOW)).toThrow(expect.objectContaining({ kind: 'ParseError' }));
  });
});

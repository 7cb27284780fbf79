import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeSourcesYaml, planImport } from './opml.js';

const feed = (xmlUrl: string, title: string | null = null) => ({ title, xmlUrl, htmlUrl: null, categories: [] });

describe('planImport', () => {
  it('names sources from titles or hosts, keeps ids unique and skips known, duplicate and unfetchable feeds', () => {
    const plan = planImport(
      [
        feed('https://www.example.com/feed', null),
        feed('https://known.example/rss?utm_source=reader', 'Known'),
        feed('https://a.example/1', 'Ünïcode News!'),
        feed('https://a.example/2', 'Unicode News'),
        feed('https://a.example/1', 'again'),
        feed('ftp://files.example/feed', 'FTP'),
        feed('not a url', 'Broken'),
        feed('https://c.example/x', '???'),
      ],
      [{ id: 'unicode-news', url: 'https://known.example/rss' }],
    );
    expect(plan.added).toEqual([
      { id: 'example-com', name: 'example.com', url: 'https://www.example.com/feed' },
      { id: 'unicode-news-2', name: 'Ünïcode News!', url: 'https://a.example/1' },
      { id: 'unicode-news-3', name: 'Unicode News', url: 'https://a.example/2' },
      { id: 'c-example', name: '???', url: 'https://c.example/x' },
    ]);
    expect(plan.existing).toEqual(['https://known.example/rss?utm_source=reader', 'https://a.example/1']);
    expect(plan.invalid.map((i) => i.url)).toEqual(['ftp://files.example/feed', 'not a url']);
  });
});

describe('mergeSourcesYaml', () => {
  const added = [{ id: 'one', name: 'One', url: 'https://one.example/feed' }];

  it('starts a new file that keeps the shipped sources', () => {
    const text = mergeSourcesYaml('', added);
    expect(parse(text)).toEqual({ sources: [{ include: 'default' }, ...added] });
    expect(text).not.toContain('{');
  });

  it('appends to an existing list and keeps comments and other keys', () => {
    const text = mergeSourcesYaml('# mine\nschedule: "*/5 * * * *"\nsources:\n  - id: zero # first\n    name: Zero\n    url: https://zero.example/feed\n', added);
    expect(text).toContain('# mine');
    expect(text).toContain('# first');
    expect(parse(text)).toEqual({ schedule: '*/5 * * * *', sources: [{ id: 'zero', name: 'Zero', url: 'https://zero.example/feed' }, ...added] });
  });

  it('adds sources (with include: default) to a file that had none', () => {
    expect(parse(mergeSourcesYaml('database: ./x.db\n', added))).toEqual({ database: './x.db', sources: [{ include: 'default' }, ...added] });
  });

  it('refuses YAML it cannot parse', () => {
    expect(() => mergeSourcesYaml('sources: [\n', added)).toThrow(expect.objectContaining({ kind: 'ConfigError' }));
  });
});

import { describe, expect, it } from 'vitest';
import { labelledDraft } from '../../scripts/lib/story-eval.js';
import { openStore } from './store.js';
import { storiesResponse } from './stories-api.js';

function store() {
  const s = openStore(':memory:');
  s.syncSources([{ id: 'desk', name: 'desk', url: 'https://desk.example/feed', schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' }]);
  const titles = ['Skyrun Air booking site offline', 'Nestwatch raises $25 million', 'Harborline Ferries hit by ransomware'];
  titles.forEach((title, i) => {
    const at = `2027-03-0${i + 1}T09:00:00Z`;
    const tags = i === 2 ? [{ type: 'incident' as const, value: 'ransomware', slug: 'incident:ransomware', name: 'Ransomware' }] : [];
    s.ingest('desk', [labelledDraft({ id: `a${i}`, event: `e${i}`, source: 'desk', published: at, title, text: `${title}.` }, tags)], { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 't', durationMs: 0 });
  });
  return s;
}

describe('GET /api/stories', () => {
  it('pages, filters by tag and since, and rejects bad parameters as QueryError', () => {
    const s = store();
    const page = storiesResponse(s, new URLSearchParams('limit=2'));
    expect(page.stories.map((x) => x.title)).toEqual(['Harborline Ferries hit by ransomware', 'Nestwatch raises $25 million']);
    expect(storiesResponse(s, new URLSearchParams(`limit=2&cursor=${page.nextCursor}`)).stories.map((x) => x.title)).toEqual(['Skyrun Air booking site offline']);
    expect(storiesResponse(s, new URLSearchParams('tag=incident:ransomware')).stories).toHaveLength(1);
    expect(storiesResponse(s, new URLSearchParams('since=2027-03-02')).stories).toHaveLength(2);
    expect(() => storiesResponse(s, new URLSearchParams('limit=0'))).toThrow(expect.objectContaining({ kind: 'QueryError' }));
    expect(() => storiesResponse(s, new URLSearchParams('since=yesterday'))).toThrow(expect.objectContaining({ kind: 'QueryError' }));
  });
});

describe('storyMembers with a cap per story', () => {
  it('reads the oldest members and the newest, oldest first; all of them without a cap', () => {
    const s = openStore(':memory:');
    const outlets = ['ledger', 'desk', 'relay', 'cert', 'patch', 'wire'];
    s.syncSources(outlets.map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
    const text = 'Harborline Ferries said ransomware encrypted its booking servers on Monday. Harborline hired Halcyon Forensics and restored ticketing from backups.';
    outlets.forEach((source, i) => {
      const at = `2027-03-02T0${i}:00:00Z`;
      s.ingest(source, [labelledDraft({ id: `h${i}`, event: 'harborline', source, published: at, title: 'Harborline Ferries hit by ransomware', text }, [])], { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 't', durationMs: 0 });
    });
    const story = s.articleByUrl('https://ledger.example/h0')?.story ?? s.stories({ limit: 1 }).stories[0]!.id;
    const sources = (members: { source: string }[] | undefined) => (members ?? []).map((m) => m.source);
    expect(sources(s.storyMembers([story]).get(story))).toEqual(outlets);
    expect(sources(s.storyMembers([story], 3).get(story))).toEqual(['ledger', 'desk', 'wire']);
    expect(sources(s.storyMembers([story], 1).get(story))).toEqual(['wire']);
    expect(sources(s.storyMembers([story], 50).get(story))).toEqual(outlets);
  });
});

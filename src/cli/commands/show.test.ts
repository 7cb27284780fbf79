import { describe, expect, it } from 'vitest';
import { labelledDraft } from '../../../scripts/lib/story-eval.js';
import { openStore } from '../../store/store.js';
import { articleView, findArticle, renderMarkdown, renderText } from './show.js';

function storeWithStory() {
  const store = openStore(':memory:');
  store.syncSources(['ledger', 'desk'].map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' as const })));
  const text = 'Harborline Ferries cancelled online bookings after a ransomware attack encrypted its reservation servers. Harborline Ferries said the Akira gang is suspected.';
  const at = '2027-03-10T07:00:00Z';
  const state = { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'test', durationMs: 0 };
  const tags = [{ type: 'malware' as const, value: 'akira', slug: 'malware:akira', name: 'Akira', mentions: ['Akira gang'] }];
  store.ingest('ledger', [labelledDraft({ id: 'one', event: 'e', source: 'ledger', published: at, title: 'Ransomware shuts Harborline Ferries bookings', text }, tags)], state);
  store.ingest('desk', [labelledDraft({ id: 'two', event: 'e', source: 'desk', published: '2027-03-11T07:00:00Z', title: 'Akira claims Harborline Ferries attack', text: `${text} The gang leaked passenger lists.` }, tags)], state);
  return store;
}

describe('secwire show', () => {
  it('finds an article by id or by a URL with tracking parameters, and says plainly when it cannot', () => {
    const store = storeWithStory();
    expect(findArticle(store, '1').title).toBe('Ransomware shuts Harborline Ferries bookings');
    expect(findArticle(store, 'https://desk.example/two?utm_source=rss').id).toBe(2);
    expect(() => findArticle(store, '42')).toThrow(/no article with id 42/);
    expect(() => findArticle(store, 'not a url')).toThrow(/neither an article id nor/);
  });

  it('lists tags with mentions and the story with the shown article marked', () => {
    const store = storeWithStory();
    const view = articleView(store, findArticle(store, '2'));
    const text = renderText(view);
    expect(text).toContain('malware:akira ("Akira gang")');
    expect(text).toContain('Story 1: Ransomware shuts Harborline Ferries bookings (2 articles');
    expect(text).toContain('  * [desk] Akira claims Harborline Ferries attack <https://desk.example/two>');
    expect(text).toContain('  [ledger] Ransomware shuts Harborline Ferries bookings <https://ledger.example/one>');
    expect(renderMarkdown(view)).toContain('## Story: Ransomware shuts Harborline Ferries bookings');
    expect(JSON.parse(JSON.stringify(view))).toMatchObject({ story: { id: 1, articles: [{ id: 1 }, { id: 2 }] }, revisions: [] });
  });
});

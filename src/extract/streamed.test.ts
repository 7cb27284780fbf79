import { describe, expect, it } from 'vitest';
import { ARTICLE_TEXT, PARAGRAPHS } from '../../test/extract/pages.js';
import { SecwireError } from '../errors.js';
import { extractArticle } from './index.js';

const URL = 'https://news.example.org/story/acme-breach';

/** One RSC text row, "<id>:T<UTF-8 byte length in hex>,<text>", split over two pushes as Next.js streams it. */
function streamedPage(articleHtml: string): string {
  const header = `24:T${Buffer.byteLength(articleHtml, 'utf8').toString(16)},`;
  const push = (text: string): string => `<script>self.__next_f.push([1,${JSON.stringify(text)}])</script>`;
  return `<!doctype html><html lang="en"><head><title>Acme Widgets confirms breach</title></head><body>
    <nav><a href="/">Home</a> <a href="/news">News</a></nav><div id="root"><h1>Acme Widgets confirms breach</h1></div>
    ${push('1:"$Sreact.fragment"\n')}${push(header)}${push(articleHtml)}${push('25:["$","$L27",null,{}]\n')}
    <footer><p>Copyright Example News</p></footer></body></html>`;
}

describe('an article streamed only in a Next.js RSC payload', () => {
  it('is read from the payload when the DOM holds no article', () => {
    const html = streamedPage(PARAGRAPHS.map((text) => `<p>${text}</p>`).join(''));
    expect(extractArticle(html, URL, { rules: null }).text).toBe(ARTICLE_TEXT);
  });

  it('cuts the row by its UTF-8 byte length, so multi-byte text ends where it should', () => {
    const korean = '한국일보 기사 본문입니다. 공격자들이 파일 서버에 접근했다고 회사가 밝혔다. '.repeat(12).trim();
    const html = streamedPage(`<p>${korean}</p><p>${PARAGRAPHS[0]}</p>`);
    expect(extractArticle(html, URL, { rules: null }).text).toBe(`${korean}\n\n${PARAGRAPHS[0]}`);
  });

  it('still finds no article when the payload carries no HTML row', () => {
    const html = streamedPage('').replace(/24:T0,/, '24:Tzz,');
    expect(() => extractArticle(html, URL, { rules: null })).toThrow(SecwireError);
  });
});

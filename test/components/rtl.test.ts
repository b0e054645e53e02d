/// <reference types="mocha" />
// Right-to-left pages (Arabic, Hebrew, Persian intranets): a widget inside `dir="rtl"`
// lays out as the mirror image of the same widget in `dir="ltr"`. Each widget is mounted
// twice with the same content, side by side at the same width, and the key parts are
// compared: what is N px from the left edge in ltr must be N px from the right edge in rtl.
// Plus what mirroring alone does not give: text starts at the right, borders and list
// indents on the start side, the "back" arrow points the other way, and axe passes.
import { expect, fixture, html } from '@open-wc/testing';
import '@readyhand/ask-expert';
import '@readyhand/share-tip';
import '@readyhand/kudos-wall';
import type { Answer, Question } from '@readyhand/api/schemas';
import type { ReadyhandElement } from '@readyhand/core';
import { $, $$, animationsDone, askAs, env, guest, post, uniqueTopic, until } from './helpers.js';

const WIDTH = 420;

/** The same widget in ltr and in rtl, side by side, once `ready` finds what the test looks at. */
async function pair(tag: string, attrs: Record<string, string>, ready: string) {
  const wrapper = await fixture<HTMLDivElement>(html`<div style="display: flex; gap: 20px; align-items: start">
    <div dir="ltr" lang="en" style="inline-size: ${WIDTH}px"></div>
    <div dir="rtl" lang="en" style="inline-size: ${WIDTH}px"></div>
  </div>`);
  const [ltr, rtl] = [...wrapper.children].map((box) => {
    const el = document.createElement(tag) as ReadyhandElement;
    for (const [k, v] of Object.entries({ api: env.api, site: 'demo', ...attrs })) el.setAttribute(k, v);
    box.append(el);
    return el;
  });
  for (const el of [ltr!, rtl!]) await until(`${tag}'s ${ready}`, () => $(el, ready));
  return { ltr: ltr!, rtl: rtl! };
}

/** Where `part` sits in `el`: its distance from the start edge (left in ltr, right in rtl) and its width. */
function placement(el: Element, target: Element) {
  const host = el.getBoundingClientRect();
  const box = target.getBoundingClientRect();
  const rtl = getComputedStyle(el).direction === 'rtl';
  return { fromStart: Math.round(rtl ? host.right - box.right : box.left - host.left), width: Math.round(box.width) };
}

/** Asserts that each selector's first match is placed in rtl as the mirror image of ltr. */
function expectMirrored({ ltr, rtl }: { ltr: Element; rtl: Element }, selectors: string[]) {
  for (const selector of selectors) {
    const [a, b] = [$(ltr, selector), $(rtl, selector)];
    expect(a, `${selector} in ltr`).to.exist;
    expect(b, `${selector} in rtl`).to.exist;
    const [p, q] = [placement(ltr, a!), placement(rtl, b!)];
    expect(Math.abs(p.fromStart - q.fromStart), `${selector}: ${JSON.stringify(p)} in ltr, ${JSON.stringify(q)} in rtl`).to.be.at.most(1);
    expect(Math.abs(p.width - q.width), `${selector} width`).to.be.at.most(1);
  }
}

/** The right edge of `node`'s text, from the right edge of `el` (0: the text starts at the right). */
function textFromRight(el: Element, node: Element) {
  const range = document.createRange();
  range.selectNodeContents(node);
  return Math.round(el.getBoundingClientRect().right - range.getBoundingClientRect().right);
}

async function expectAccessibleInRtl(el: Element) {
  await animationsDone(el);
  await expect(el).to.be.accessible();
}

let people = 0;
const someone = () => guest(`Rtl Person ${people++}`);

describe('right-to-left', () => {
  beforeEach(() => localStorage.clear());

  it('<ask-expert> mirrors its list, and an open question: vote beside the title, the accepted border and the back arrow on the start side', async () => {
    const topic = uniqueTopic('rtl');
    const [asker, answerer] = [await someone(), await someone()];
    const question = await askAs(asker, topic, 'Where does the avatar go on a right-to-left page?');
    const answer = await post<Answer>(`/v1/questions/${question.id}/answers`, answerer.sessionToken, { body: 'At the right edge, where lines start.' });
    await post<Question>(`/v1/questions/${question.id}/accept`, asker.sessionToken, { answerId: answer.id });

    const els = await pair('ask-expert', { topic }, '[part~="question"]');
    expectMirrored(els, ['h2', '[part~="toolbar"]', '[part~="filter"]', '[part~="sort"]', '[part~="vote"]', '[part~="title"]', '[part~="avatar"]', '[part~="author"]', '[part~="badge"]']);
    expect(textFromRight(els.rtl, $(els.rtl, 'h2')!)).to.equal(0);
    // The vote button is at the start: on the right.
    expect(placement(els.rtl, $(els.rtl, '[part~="vote"]')!).fromStart).to.equal(0);
    await expectAccessibleInRtl(els.rtl);

    for (const el of [els.ltr, els.rtl]) $(el, `#q-${question.id}`)!.click();
    for (const el of [els.ltr, els.rtl]) await until('the open question', () => $(el, '[part~="accepted"]'));
    expectMirrored(els, ['[part~="back"]', '[part~="back"] [aria-hidden]', '#detail-title', '[part~="accepted"]', '[part~="accepted"] [part~="body"]', '[part~="accepted"] [part~="avatar"]']);
    const accepted = getComputedStyle($(els.rtl, '[part~="accepted"]')!);
    expect([accepted.borderRightWidth, accepted.borderLeftWidth]).to.deep.equal(['3px', '0px']);
    expect(parseFloat(accepted.paddingRight)).to.be.greaterThan(0);
    // The arrow back points to where the list is, left in ltr and right in rtl: a character
    // the browser draws mirrored in right-to-left text (as it does '‹', not '←').
    const arrow = $(els.rtl, '[part~="back"] [aria-hidden]')!;
    expect(arrow.textContent).to.match(/^\p{Bidi_Mirrored}$/u);
    expect(placement(els.rtl, arrow).fromStart).to.equal(0);
    await expectAccessibleInRtl(els.rtl);
  });

  it('<share-tip> mirrors a tip: its text, list indent, meta line and Helpful button start on the right', async () => {
    const topic = uniqueTopic('rtl');
    await post('/v1/tips', (await someone()).sessionToken, { topic, body: 'Mirror the page:\n\n- lists indent from the right\n- so do `code` spans', tags: ['rtl'] });
    const els = await pair('share-tip', { topic }, '[part~="tip"]');
    expectMirrored(els, ['h2', '[part~="toolbar"]', '[part~="tip"] [part~="body"] p', '[part~="body"] li', '[part~="avatar"]', '[part~="tag"]', '[part~="helpful"]']);
    const body = $(els.rtl, '[part~="tip"] [part~="body"] p')!;
    expect(textFromRight(els.rtl, body)).to.equal(0);
    const list = getComputedStyle($(els.rtl, '[part~="body"] ul')!);
    expect(parseFloat(list.paddingRight)).to.be.greaterThan(0);
    expect(list.paddingLeft).to.equal('0px');
    await expectAccessibleInRtl(els.rtl);
  });

  it('<kudos-wall> mirrors a card: who thanked whom from the right, the badge and the reactions after them', async () => {
    const wall = uniqueTopic('rtl');
    const [from, to] = [await someone(), await someone()];
    await post('/v1/kudos', from.sessionToken, { wall, to: to.user.id, message: 'Thank you for checking the page in Arabic.', badge: 'helpful' });
    const els = await pair('kudos-wall', { wall }, '[part~="kudos"]');
    expectMirrored(els, ['h2', '[part~="toggle"]', '[part~="kudos"] [part~="avatar"]', '[part~="kudos"] [part~="badge"]', '[part~="kudos"] [part~="body"]', '[part~="reaction"]']);
    const avatars = $$(els.rtl, '[part~="kudos"] [part~="avatar"]').map((a) => placement(els.rtl, a).fromStart);
    // The thanker comes first: at the right edge, the person thanked to their left.
    expect(avatars[0]).to.equal(0);
    expect(avatars[1]).to.be.greaterThan(avatars[0]!);
    expect(textFromRight(els.rtl, $(els.rtl, '[part~="kudos"] [part~="body"]')!)).to.equal(0);
    await expectAccessibleInRtl(els.rtl);
  });
});

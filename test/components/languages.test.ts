/// <reference types="mocha" />
// A widget speaks the language of its `lang`, else of the nearest `lang` above it: its
// labels, its plurals (French says "0 réponse") and its relative times, and it changes
// language as soon as `lang` changes, on the widget or on the page.
import { expect, fixture, html } from '@open-wc/testing';
import type { Answer } from '@readyhand/api/schemas';
import type { AskExpert } from '@readyhand/ask-expert';
import '@readyhand/ask-expert';
import '@readyhand/kudos-wall';
import type { KudosWall } from '@readyhand/kudos-wall';
import { relativeTime } from '@readyhand/core';
import { useLocale } from '../../packages/core/src/localize.js';
import { $, $$, askAs, env, guest, post, text, uniqueTopic, until } from './helpers.js';

const heading = (el: Element) => text($(el, 'h2'));
const counts = (el: Element) => $$(el, '[part~="question"] [part~="meta"] [part~="count"]').map(text);
const times = (el: Element) => $$(el, '[part~="question"] time').map(text);
const now = (locale: string) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(0, 'second');

/** Per language: the widget's heading and the counts of a question with one answer and one with none. */
const expected = {
  en: { heading: 'Ask an expert', counts: ['0 answers', '1 answer'] },
  de: { heading: 'Fragen Sie eine Expertin oder einen Experten', counts: ['0 Antworten', '1 Antwort'] },
  es: { heading: 'Pregunte a un experto', counts: ['0 respuestas', '1 respuesta'] },
  // French counts zero as one.
  fr: { heading: 'Demandez à un expert', counts: ['0 réponse', '1 réponse'] },
};

async function twoQuestions() {
  const topic = uniqueTopic('lang');
  const asker = await guest('Lang Asker');
  const answered = await askAs(asker, topic, 'Which port does the service listen on?');
  await post<Answer>(`/v1/questions/${answered.id}/answers`, (await guest('Lang Helper')).sessionToken, { body: '8080' });
  await askAs(asker, topic, 'Where are the deployment logs kept?');
  return topic;
}

async function speaks(el: Element, locale: keyof typeof expected) {
  const want = expected[locale];
  await until(`the widget to speak ${locale}`, () => heading(el) === want.heading && counts(el).length === 2).catch((error) => {
    throw new Error(`${error.message}: heading "${heading(el)}", counts ${JSON.stringify(counts(el))}`);
  });
  expect(counts(el).sort()).to.deep.equal(want.counts);
  // Both questions were asked moments ago.
  expect(times(el)).to.deep.equal([now(locale), now(locale)]);
  expect($(el, '[part~="sort"]')?.textContent).to.include(
    { en: 'Most recent', de: 'Neueste', es: 'Más recientes', fr: 'Plus récentes' }[locale],
  );
}

afterEach(() => document.documentElement.setAttribute('lang', 'en'));

describe('languages', () => {
  it('switch with the widget’s lang, to German, Spanish, French and back to the page’s English', async () => {
    const el = await fixture<AskExpert>(html`<ask-expert api=${env.api} site="demo" topic=${await twoQuestions()} lang="de"></ask-expert>`);
    await speaks(el, 'de');
    el.lang = 'es';
    await speaks(el, 'es');
    el.setAttribute('lang', 'fr-CA');
    await speaks(el, 'fr');
    el.removeAttribute('lang');
    await speaks(el, 'en');
    await expect(el).to.be.accessible();
  });

  it('follow the nearest lang above the widget, and the page’s', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="es"><ask-expert api=${env.api} site="demo" topic=${await twoQuestions()}></ask-expert></div>`,
    );
    const el = wrapper.querySelector('ask-expert')!;
    await speaks(el, 'es');
    wrapper.removeAttribute('lang');
    document.documentElement.lang = 'de';
    await speaks(el, 'de');
  });

  it('stay English for a language Readyhand does not speak', async () => {
    const el = await fixture<KudosWall>(html`<kudos-wall api=${env.api} site="demo" wall=${uniqueTopic('w')} lang="pt-BR"></kudos-wall>`);
    await until('the wall', () => heading(el) === 'Kudos');
    expect(el.locale).to.equal('en');
    el.lang = 'de-AT';
    await until('the wall in German', () => heading(el) === 'Anerkennung');
    expect(el.locale).to.equal('de');
  });
});

describe('relative times', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('are worded as Intl.RelativeTimeFormat words them, in every language, without making one', async () => {
    const units: [Intl.RelativeTimeFormatUnit, number][] = [
      ['year', 31_536_000], ['month', 2_592_000], ['week', 604_800], ['day', 86_400], ['hour', 3_600], ['minute', 60],
    ];
    const times = [0, 30, 59, 60, 89, 90, 300, 3_599, 3_600, 5_400, 7_200, 86_399, 86_400, 172_800, 604_800, 1_209_600, 2_592_000, 5_184_000, 31_536_000, 63_072_000, 157_680_000];
    try {
      for (const locale of ['en', 'de', 'es', 'fr']) {
        await useLocale(locale);
        useLocale(locale);
        const intl = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
        for (const seconds of times) {
          const [unit, size] = units.find(([, size]) => seconds >= size) ?? ['second', 1];
          const want = unit === 'second' ? intl.format(0, 'second') : intl.format(-Math.round(seconds / size), unit);
          // The first Intl.RelativeTimeFormat of a page can block it for hundreds of milliseconds: the widgets make none.
          const intlTypes = Intl as { RelativeTimeFormat: unknown };
          const made = intlTypes.RelativeTimeFormat;
          intlTypes.RelativeTimeFormat = function () {
            throw new Error('a widget made an Intl.RelativeTimeFormat');
          };
          try {
            expect(relativeTime(ago(seconds), now), `${locale}, ${seconds} s ago`).to.equal(want);
          } finally {
            intlTypes.RelativeTimeFormat = made;
          }
        }
      }
    } finally {
      useLocale('en');
    }
  });

  it('say "now" for a time ahead of the reader’s clock', () => {
    // A widget's render speaks its language (see localize.ts): in English, whatever rendered last.
    useLocale('en');
    expect(relativeTime(ago(-90), now)).to.equal('now');
  });
});

import { msg, str } from '@lit/localize';
import { activeLocale } from './localize.js';

/**
 * The words for a time `n` units ago, as Intl.RelativeTimeFormat with `numeric: 'auto'` says
 * them ("yesterday", "3 days ago"), from the widgets' own translations. Not Intl's: its first
 * use in a page loads the browser's language data, which blocked the main thread for 60 to
 * 400 ms on the bench machine (see README, Performance) while a wall rendered. Only times past:
 * a time ahead of the reader's clock is "now". Two days ago has words of its own in German, Spanish and French
 * ("vorgestern"). `n` > 1 takes the plural in every language
 * Readyhand speaks (French's singular is 0 and 1 only).
 */
const UNITS: [seconds: number, words: (n: number) => string][] = [
  [31_536_000, (n) => (n > 1 ? msg(str`${n} years ago`) : msg('last year'))],
  [2_592_000, (n) => (n > 1 ? msg(str`${n} months ago`) : msg('last month'))],
  [604_800, (n) => (n > 1 ? msg(str`${n} weeks ago`) : msg('last week'))],
  [86_400, (n) => (n > 2 ? msg(str`${n} days ago`) : n > 1 ? msg('2 days ago') : msg('yesterday'))],
  [3_600, (n) => (n > 1 ? msg(str`${n} hours ago`) : msg('1 hour ago'))],
  [60, (n) => (n > 1 ? msg(str`${n} minutes ago`) : msg('1 minute ago'))],
];

/** "3 minutes ago", "yesterday", in the language of the widget rendering (see localize.ts `useLocale`). */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = (now - Date.parse(iso)) / 1000;
  for (const [size, words] of UNITS) if (seconds >= size) return words(Math.round(seconds / size));
  return msg('now');
}

/** Plural rules, one per language: made once (a wall of 50 cards asks hundreds of times). */
const rules: Record<string, Intl.PluralRules> = {};

/**
 * The `one` or the `other` form of a message about `count` things, by the plural
 * rules of the language the widget speaks: `plural(n, msg(str`${n} answer`), msg(str`${n} answers`))`
 * says "1 answer" and "0 answers", and in French "0 réponse". The languages
 * Readyhand speaks need no other forms (`many`, French for a million, takes `other`).
 */
export const plural = (count: number, one: string, other: string) => rulesOf(activeLocale).select(count) === 'one' ? one : other;

const rulesOf = (locale: string) => (rules[locale] ??= new Intl.PluralRules(locale));

/** Up to two initials of a display name, for an avatar without a picture. */
export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');

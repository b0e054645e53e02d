/** Words too common to say whether two texts are alike. */
const STOPWORDS = new Set(
  ('a an and are as at be but by can do does for from how i if in into is it its me my no not of on or ' +
    'our should so that the their then there these this to was we what when where which who why will with ' +
    'would you your').split(' '),
);

const MAX_TOKENS = 12;

/**
 * Builds an FTS5 MATCH expression from what a user typed, or null when there
 * is nothing to search for. Only letters and digits survive, and each word is
 * a quoted string, so no input (quotes, `*`, `NEAR`, `AND`, parentheses, `-`,
 * column filters) can change the query's syntax. The last word matches as a
 * prefix, because the user is still typing it.
 *
 * `any` (for ranking: "similar questions") matches a row with any of the
 * words; `all` (for filtering: "search tips") only rows with every word.
 */
export function ftsQuery(text: string, match: 'any' | 'all' = 'any'): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const kept = [...new Set(words.filter((w) => w.length > 1 && !STOPWORDS.has(w)))].slice(0, MAX_TOKENS);
  if (kept.length === 0) return null;
  const last = words[words.length - 1]!;
  return kept
    .map((w) => `"${w.replaceAll('"', '""')}"${w === last && w.length >= 3 ? '*' : ''}`)
    .join(match === 'any' ? ' OR ' : ' AND ');
}

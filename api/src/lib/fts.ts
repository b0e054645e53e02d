import type { InValue } from '@libsql/client';
import { readRows, type Db } from '../db/client';
import type { User } from '../db/schema/index';
import { moderates } from './moderation';
import { txRow, writeTransaction, type Tx } from './write-lock';

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
  const { words, typing } = searchWords(text);
  if (words.length === 0) return null;
  return words.map((w) => `${phrase(w)}${w === typing ? '*' : ''}`).join(match === 'any' ? ' OR ' : ' AND ');
}

const phrase = (word: string) => `"${word.replaceAll('"', '""')}"`;

/** The words worth searching for, and the one still being typed (the last, of 3 characters or more), if any. */
function searchWords(text: string): { words: string[]; typing: string | null } {
  const all = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const words = [...new Set(all.filter((w) => w.length > 1 && !STOPWORDS.has(w)))].slice(0, MAX_TOKENS);
  const last = all[all.length - 1];
  return { words, typing: last && last.length >= 3 && words.includes(last) ? last : null };
}

/**
 * The newest matches that `similarQuestionIds` ranks. Ranking every row that
 * shares a word with the query grows with the table (bm25()'s document
 * frequencies count every match of every word even under a LIMIT: 390 ms at
 * 100k questions, on a synchronous connection that stalls every other
 * request); the newest matches hold the questions a learner is about to ask
 * again, and their number bounds the work.
 */
export const SIMILAR_CANDIDATES = 200;

/** Letters and digits, lower case, accents dropped: as the index's tokenizer (remove_diacritics) reads text. */
const tokensOf = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** A light stem, enough to meet the index's porter stems halfway: pods/pod, crashing/crash, failed/fail. */
const stem = (word: string) => (word.length > 4 ? word.replace(/(ing|ed|es|s)$/, '') : word.replace(/s$/, ''));

/** A text's words as similarQuestionIds scores them: its tokens and their stems, each joined by spaces and led by one (a test is one `includes`). */
interface Words {
  tokens: string;
  stems: string;
}

const wordsOf = (text: string): Words => {
  const tokens = tokensOf(text);
  return { tokens: ` ${tokens.join(' ')}`, stems: ` ${tokens.map(stem).join(' ')} ` };
};

/**
 * The words of recently scored questions, per database, by id and last update, least recently
 * used out past SCORED_CHARACTERS of text (about 8 MB of one-byte characters; twice that for
 * text that needs two). The candidates of one keystroke are mostly those of the last, and
 * splitting and stemming their texts again was a third of a similar-questions request.
 */
const scored = new WeakMap<Db, { words: Map<string, QuestionWords>; characters: number }>();
const SCORED_CHARACTERS = 4_000_000;

/** A question that may be like the text searched for. */
type Candidate = {
  id: string;
  updated_at: string;
  title: string;
  body: string;
};

interface QuestionWords {
  title: Words;
  body: Words;
  characters: number;
}

function wordsOfQuestion(db: Db, question: { id: string; updated_at: string; title: string; body: string }): QuestionWords {
  let cache = scored.get(db);
  if (!cache) scored.set(db, (cache = { words: new Map(), characters: 0 }));
  const key = `${question.id} ${question.updated_at}`;
  let words = cache.words.get(key);
  if (words) cache.words.delete(key);
  else {
    const [title, body] = [wordsOf(String(question.title)), wordsOf(String(question.body))];
    words = { title, body, characters: key.length + title.tokens.length + title.stems.length + body.tokens.length + body.stems.length };
    cache.characters += words.characters;
    for (const [oldest, old] of cache.words) {
      if (cache.characters <= SCORED_CHARACTERS) break;
      cache.words.delete(oldest);
      cache.characters -= old.characters;
    }
  }
  cache.words.set(key, words);
  return words;
}

/** Listed questions indexed in one transaction at most: a backlog (an import, say) is caught up in steps. */
const INDEX_AT_ONCE = 1000;
/** How long after an ask its question is indexed, by default: the asks of that time share one transaction of the index. */
export const INDEX_AFTER_MS = 100;

const LAST_LISTED = `select max(id) as last, count(*) as listed from (select id from questions_fts_pending order by id limit ${INDEX_AT_ONCE})`;
/**
 * Indexes the listed questions up to a row of the list, in the order they were written (the
 * search reads the index's rowid as recency), and takes them off the list. The bench's seed runs
 * both, as one writer of many questions would.
 */
export const INDEX_LISTED = [
  `insert into questions_fts (question_id, title, body)
   select questions.id, questions.title, questions.body
   from questions_fts_pending join questions on questions.id = questions_fts_pending.question_id
   where questions_fts_pending.id <= ? order by questions_fts_pending.id`,
  'delete from questions_fts_pending where id <= ?',
];

/** Indexes up to INDEX_AT_ONCE listed questions in `tx`; true when more may be listed. */
async function indexSome(tx: Tx): Promise<boolean> {
  const listed = await txRow<{ last: number | null; listed: number }>(tx, LAST_LISTED, []);
  if (!listed || listed.last === null) return false;
  for (const statement of INDEX_LISTED) await txRow(tx, statement, [listed.last]);
  return listed.listed === INDEX_AT_ONCE;
}

/**
 * Indexes every question listed in `questions_fts_pending` (by the triggers of migration 0013, as
 * any process wrote them), INDEX_AT_ONCE to a transaction. Only writes: it runs from a timer,
 * and no read of the app runs in a timer (db/client.ts, one snapshot per turn).
 */
export async function indexListedQuestions(db: Db): Promise<void> {
  while (await writeTransaction(db, indexSome));
}

const indexDelays = new WeakMap<Db, number>();
const indexing = new WeakMap<Db, NodeJS.Timeout>();

/** How soon after an ask the questions of `db` are indexed (AppOptions.searchIndexMs): the first app of a handle sets it. */
export function indexQuestionsAfter(db: Db, ms: number): void {
  if (!indexDelays.has(db)) indexDelays.set(db, ms);
}

/**
 * Indexes the questions listed by then, a moment (INDEX_AFTER_MS, or as the app was told) after
 * the first call since the last run: an ask calls it once committed. The search reads what is
 * still listed besides the index, so this only keeps the list short.
 */
export function indexQuestionsSoon(db: Db): void {
  if (indexing.has(db)) return;
  const timer = setTimeout(() => {
    indexing.delete(db);
    // A handle closed meanwhile (a test's, a server's that stopped): its list waits for the next ask.
    if (db.$client.closed) return;
    indexListedQuestions(db).catch((err: unknown) => {
      if (!db.$client.closed) console.error('indexing questions for search failed; the next ask tries again', err);
    });
  }, indexDelays.get(db) ?? INDEX_AFTER_MS);
  timer.unref();
  indexing.set(db, timer);
}

/**
 * The ids of up to `limit` questions of `topic` like `text`, best first, that
 * `viewer` may see. The index finds the newest SIMILAR_CANDIDATES questions
 * holding any of the words (the word being typed by its first three letters,
 * through the prefix index), reading newest first and stopping there; with
 * the questions not yet indexed (up to INDEX_AT_ONCE of the topic, newest
 * first), those that hold a word are scored like bm25 without its length
 * terms: each word counts by its rarity among the candidates, thrice in the
 * title, and the word being typed counts where a word starts with it. Ties go
 * to the newer question.
 */
export async function similarQuestionIds(db: Db, siteId: string, topic: string, text: string, limit: number, viewer: User | null): Promise<string[]> {
  const { words, typing } = searchWords(text);
  if (words.length === 0) return [];
  const match = words.map((w) => (w === typing ? `${phrase(w.slice(0, 3))}*` : phrase(w))).join(' OR ');
  let visibility = 'questions.pending = 0 and questions.hidden_at is null';
  const args: InValue[] = [];
  if (moderates(viewer, siteId)) visibility = '1';
  else if (viewer && viewer.siteId === siteId) {
    visibility = `(${visibility} or (questions.hidden_at is null and questions.author_id = ?))`;
    args.push(viewer.id);
  }
  // Questions still listed for the index (written in the last moment, by any process), newest first, up to what one run
  // of the index takes, read before the index: one indexed between the two reads is then in the second, never in
  // neither. The list drives the join.
  const listed = await readRows<Candidate>(
    db,
    `select questions.id as id, questions.updated_at as updated_at, questions.title as title, questions.body as body
     from questions_fts_pending cross join questions on questions.id = questions_fts_pending.question_id
     where questions.site_id = ? and questions.topic = ? and ${visibility}
     order by questions_fts_pending.id desc limit ${INDEX_AT_ONCE}`,
    [siteId, topic, ...args],
  );
  // Left by a process that stopped before indexing them, say: indexed soon, by this one.
  if (listed.length > 0) indexQuestionsSoon(db);
  const indexed = await readRows<Candidate & { rowid: number }>(
    db,
    `select questions_fts.rowid as rowid, questions.id as id, questions.updated_at as updated_at, questions.title as title, questions.body as body
     from questions_fts join questions on questions.id = questions_fts.question_id
     where questions_fts match ? and questions.site_id = ? and questions.topic = ? and ${visibility}
     order by questions_fts.rowid desc limit ${SIMILAR_CANDIDATES}`,
    [match, siteId, topic, ...args],
  );
  // A word being typed counts where a token starts with it; any other where a token has its stem. (A word that stems to
  // nothing, "s" say, counts nowhere: "  " would be found in an empty text.)
  const tests = tokensOf(words.join(' ')).flatMap((word) => {
    const target = ` ${stem(word)} `;
    if (target === '  ') return [];
    return [(text: Words) => (word === typing ? text.tokens.includes(` ${word}`) : text.stems.includes(target))];
  });
  // Listed questions come before any indexed one, as newer; one indexed between the two reads is taken once. Only
  // questions holding a word count, whichever read found them (the index's match is looser: stems, 3-letter prefixes).
  const candidates: Array<{ id: string; words: QuestionWords; recency: number }> = [];
  const seen = new Set<string>();
  const consider = (c: Candidate, recency: number) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    const words = wordsOfQuestion(db, c);
    if (tests.some((has) => has(words.title) || has(words.body))) candidates.push({ id: c.id, words, recency });
  };
  listed.forEach((c, i) => consider(c, Number.MAX_SAFE_INTEGER - i));
  for (const c of indexed) consider(c, Number(c.rowid));
  const scores = candidates.map(() => 0);
  for (const has of tests) {
    const found = candidates.map(({ words }) => ({ title: has(words.title), body: has(words.body) }));
    const holding = found.filter((f) => f.title || f.body).length;
    if (holding === 0) continue;
    const rarity = Math.log(1 + (candidates.length - holding + 0.5) / (holding + 0.5));
    found.forEach((f, i) => (scores[i]! += rarity * ((f.title ? 3 : 0) + (f.body ? 1 : 0))));
  }
  return candidates
    .map((c, i) => ({ id: c.id, recency: c.recency, score: scores[i]! }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || b.recency - a.recency)
    .slice(0, limit)
    .map((c) => c.id);
}

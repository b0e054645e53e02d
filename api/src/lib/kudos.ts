import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { answers, kudos, kudosReactions, questions, users, type KudosRow, type Site, type User } from '../db/schema/index';
import type { Kudos, KudosFor, Reaction } from '../schemas';
import { notFound } from './errors';
import { moderationMarks, published } from './moderation';
import { publicUser } from './questions';
import type { Tx } from './write-lock';

type Reader = Db | Tx;

const recipients = alias(users, 'recipients');

/** Emoji compare without the variation selector: "❤" and "❤️" are one reaction. */
const emojiKey = (emoji: string) => emoji.replaceAll('\uFE0F', '');

/** The site's own spelling of `emoji`, or undefined when the site does not offer it. */
export const siteEmoji = (site: Site, emoji: string): string | undefined => site.reactions.find((e) => emojiKey(e) === emojiKey(emoji));

/** Each kudos' reactions, in the site's order, with the viewer's own marked. */
export async function reactionsOf(db: Reader, site: Site, kudosIds: string[], viewer: User | null): Promise<Map<string, Reaction[]>> {
  const counts = new Map<string, Map<string, { count: number; mine: boolean }>>();
  if (kudosIds.length > 0) {
    const rows = await db
      .select({
        kudosId: kudosReactions.kudosId,
        emoji: kudosReactions.emoji,
        count: sql<number>`count(*)`,
        mine: sql<number>`max(${kudosReactions.userId} = ${viewer?.id ?? ''})`,
      })
      .from(kudosReactions)
      .where(inArray(kudosReactions.kudosId, kudosIds))
      .groupBy(kudosReactions.kudosId, kudosReactions.emoji);
    for (const r of rows) {
      if (!counts.has(r.kudosId)) counts.set(r.kudosId, new Map());
      counts.get(r.kudosId)!.set(emojiKey(r.emoji), { count: Number(r.count), mine: !!viewer && Number(r.mine) === 1 });
    }
  }
  return new Map(
    kudosIds.map((id) => [
      id,
      site.reactions.map((emoji) => ({ emoji, count: 0, mine: false, ...counts.get(id)?.get(emojiKey(emoji)) })),
    ]),
  );
}

/** Kudos matching `where`, with their people, reactions and what they thank for, presented for `viewer`. */
export async function presentedKudos(
  db: Reader,
  site: Site,
  anyViewer: User | null,
  where: SQL | undefined,
  orderBy: SQL[],
  limit: number,
): Promise<{ rows: KudosRow[]; items: Kudos[] }> {
  // A session of another site reads as nobody in particular.
  const viewer = anyViewer && anyViewer.siteId === site.id ? anyViewer : null;
  const rows = await db
    .select({
      k: kudos,
      from: users,
      to: recipients,
      question: { id: questions.id, title: questions.title, topic: questions.topic, anonymous: questions.anonymous },
    })
    .from(kudos)
    .innerJoin(users, eq(users.id, kudos.fromUserId))
    .innerJoin(recipients, eq(recipients.id, kudos.toUserId))
    // Thanks for an answer no longer public link back to nothing rather than to hidden content.
    .leftJoin(answers, and(eq(answers.id, kudos.forAnswerId), published(answers)))
    .leftJoin(questions, and(eq(questions.id, answers.questionId), published(questions)))
    .where(and(eq(kudos.siteId, site.id), where))
    .orderBy(...orderBy)
    .limit(limit);
  const reactions = await reactionsOf(db, site, rows.map((r) => r.k.id), viewer);
  const items = rows.map(({ k, from, to, question }): Kudos => {
    // POST refuses `for` on anonymous questions; the check here keeps any other row from linking the asker to one.
    const thanksFor: KudosFor | null =
      question?.id && k.forAnswerId && !question.anonymous
        ? { type: 'answer', questionId: question.id, answerId: k.forAnswerId, questionTitle: question.title, topic: question.topic }
        : null;
    return {
      id: k.id,
      site: k.siteId,
      wall: k.wall,
      from: publicUser(from),
      to: publicUser(to),
      message: k.message,
      badge: k.badge,
      reactions: reactions.get(k.id)!,
      for: thanksFor,
      mine: !!viewer && viewer.id === k.fromUserId,
      createdAt: k.createdAt,
      ...moderationMarks(k),
    };
  });
  return { rows: rows.map((r) => r.k), items };
}

/** Kudos `id` of `site`, presented for `viewer`; 404 for a kudos of any other site. */
export async function kudosOfSite(db: Reader, site: Site, id: string, viewer: User | null): Promise<Kudos> {
  const { items } = await presentedKudos(db, site, viewer, eq(kudos.id, id), [], 1);
  if (!items[0]) throw notFound('kudos');
  return items[0];
}

import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { tipHelpful, tips, tipTags, users, type TipRow, type User } from '../db/schema/index';
import type { Tip } from '../schemas';
import { notFound } from './errors';
import { moderationMarks } from './moderation';
import { publicUser } from './questions';
import type { Tx } from './write-lock';

type Reader = Db | Tx;

export function presentTip(t: TipRow, tags: string[], author: User, anyViewer: User | null, helpful: boolean): Tip {
  // A session of another site reads as nobody in particular.
  const viewer = anyViewer && anyViewer.siteId === t.siteId ? anyViewer : null;
  return {
    id: t.id,
    site: t.siteId,
    topic: t.topic,
    body: t.body,
    tags,
    author: publicUser(author),
    mine: !!viewer && viewer.id === t.authorId,
    helpfulCount: t.helpfulCount,
    myHelpful: !!viewer && helpful,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    ...moderationMarks(t),
  };
}

/** The tags of each of `tipIds`, in the order their authors gave them. */
async function tagsByTip(db: Reader, tipIds: string[]): Promise<Map<string, string[]>> {
  const byTip = new Map<string, string[]>(tipIds.map((id) => [id, []]));
  if (tipIds.length === 0) return byTip;
  const rows = await db
    .select({ tipId: tipTags.tipId, tag: tipTags.tag })
    .from(tipTags)
    .where(inArray(tipTags.tipId, tipIds))
    .orderBy(asc(tipTags.tipId), asc(tipTags.position));
  for (const r of rows) byTip.get(r.tipId)!.push(r.tag);
  return byTip;
}

/** Tips matching `where`, with their tags, authors and the viewer's marks, presented for the viewer. */
export async function presentedTips(
  db: Reader,
  viewer: User | null,
  where: SQL | undefined,
  orderBy: SQL[],
  limit: number,
): Promise<{ rows: TipRow[]; items: Tip[] }> {
  const rows = await db
    .select({ tip: tips, author: users, marker: tipHelpful.userId })
    .from(tips)
    .innerJoin(users, eq(users.id, tips.authorId))
    .leftJoin(tipHelpful, and(eq(tipHelpful.tipId, tips.id), eq(tipHelpful.userId, viewer?.id ?? '')))
    .where(where)
    .orderBy(...orderBy)
    .limit(limit);
  const tags = await tagsByTip(db, rows.map((r) => r.tip.id));
  return {
    rows: rows.map((r) => r.tip),
    items: rows.map((r) => presentTip(r.tip, tags.get(r.tip.id)!, r.author, viewer, r.marker !== null)),
  };
}

/** Tip `id` of `siteId`, presented for `viewer`; 404 for a tip of any other site. */
export async function tipOfSite(db: Reader, siteId: string, id: string, viewer: User | null): Promise<Tip> {
  const { items } = await presentedTips(db, viewer, and(eq(tips.id, id), eq(tips.siteId, siteId)), [], 1);
  if (!items[0]) throw notFound('tip');
  return items[0];
}

/** Replaces a tip's tags; its tips_fts row follows through the tip_tags triggers. */
export async function replaceTags(tx: Tx, tip: Pick<TipRow, 'id' | 'siteId' | 'topic'>, tags: string[]): Promise<void> {
  await tx.delete(tipTags).where(eq(tipTags.tipId, tip.id));
  if (tags.length === 0) return;
  await tx.insert(tipTags).values(tags.map((tag, position) => ({ tipId: tip.id, siteId: tip.siteId, topic: tip.topic, tag, position })));
}

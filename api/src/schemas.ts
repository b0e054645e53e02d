/**
 * The wire contract of the Readyhand API, version 1.
 *
 * These schemas validate every request and describe every response, and
 * `GET /v1/openapi.json` is generated from them. The browser packages import
 * the inferred types only (`import type`), never this module's code.
 */
import { z } from '@hono/zod-openapi';

// ---------------------------------------------------------------- common

export const ErrorCode = z.enum([
  'validation_failed', // 400
  'unauthorized', // 401
  'forbidden', // 403
  'not_found', // 404
  'conflict', // 409
  'payload_too_large', // 413
  'unsupported_media_type', // 415
  'rate_limited', // 429
  'internal', // 500
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorDetail = z
  .object({
    field: z.string().openapi({ example: 'title' }),
    rule: z.string().openapi({ example: 'too_small' }),
    message: z.string().openapi({ example: 'title must be 8 to 160 characters' }),
  })
  .openapi('ErrorDetail');
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** The one error shape of every non-2xx response. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      details: z.array(ErrorDetail),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Site id: lower-case letters, digits and dashes. */
export const SiteId = z
  .string()
  .max(63, 'site must be at most 63 characters')
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'site must be lower-case letters, digits and dashes')
  .openapi({ example: 'demo' });

/**
 * Topic or wall key: a free key such as `onboarding` or `course-101/week-3`,
 * or one derived from a page path.
 */
export const TopicKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._~\-/]+$/, 'topic may contain letters, digits and . _ ~ - /')
  .openapi({ example: 'kubernetes' });

export const Cursor = z.string().max(512).optional();
export const Limit = z.coerce.number().int().min(1).max(50).default(20);

/** Times are ISO 8601 strings. */
export const IsoTime = z.string().openapi({ example: '2026-11-25T10:00:00.000Z' });

export const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------- people

export const Role = z.enum(['moderator', 'admin']);
export type Role = z.infer<typeof Role>;

/**
 * A person as others see them. `null` wherever the person must stay hidden
 * (the asker of an anonymous question, to anyone but a moderator).
 */
export const PublicUser = z
  .object({
    id: z.string(),
    name: z.string(),
    picture: z.string().nullable(),
  })
  .openapi('PublicUser');
export type PublicUser = z.infer<typeof PublicUser>;

/** The signed-in person, as they see themselves. */
export const Me = z
  .object({
    id: z.string(),
    site: z.string(),
    name: z.string(),
    picture: z.string().nullable(),
    guest: z.boolean(),
    roles: z.array(Role),
    expertTopics: z.array(z.string()),
  })
  .openapi('Me');
export type Me = z.infer<typeof Me>;

export const Expert = PublicUser.extend({
  /** Answers this expert has had accepted in the topic. */
  acceptedAnswers: z.number().int(),
}).openapi('Expert');
export type Expert = z.infer<typeof Expert>;

// ---------------------------------------------------------------- sites and sessions

/** What a widget may know of a site: nothing secret. */
export const PublicSite = z
  .object({
    id: z.string(),
    name: z.string(),
    guestsAllowed: z.boolean(),
    anonymousQuestionsAllowed: z.boolean(),
    /** The kudos badges a learner may choose from, in display order. */
    kudosBadges: z.array(z.string()),
    /** The reaction emoji allowed on kudos, in display order. */
    reactions: z.array(z.string()),
  })
  .openapi('Site');
export type PublicSite = z.infer<typeof PublicSite>;

/**
 * What an anonymous asker shows as, in each language the widgets speak ("Anonymous", "Anonym",
 * "Anónimo", "Anonyme", with or without "(you)"): no guest may be called so, or their answer would
 * read as the asker's own.
 */
const passesForAnonymous = (name: string) => {
  const letters = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}]/gu, '');
  return /^anon[iy]m/.test(letters) && letters.length <= 15;
};

export const GuestName = z
  .string()
  .trim()
  .min(1, 'guestName must be 1 to 60 characters')
  .max(60, 'guestName must be 1 to 60 characters')
  .refine((name) => !passesForAnonymous(name), { message: 'guestName must not be "Anonymous": that is how anonymous askers show', params: { rule: 'reserved' } });

export const SessionRequest = z
  .union([
    z.object({ site: SiteId, token: z.string().min(1).max(8192) }).strict(),
    z.object({ site: SiteId, guestName: GuestName }).strict(),
  ])
  .openapi('SessionRequest');
export type SessionRequest = z.infer<typeof SessionRequest>;

export const Session = z
  .object({
    sessionToken: z.string(),
    expiresAt: IsoTime,
    user: Me,
  })
  .openapi('Session');
export type Session = z.infer<typeof Session>;

// ---------------------------------------------------------------- questions

export const QuestionStatus = z.enum(['open', 'answered']);
export type QuestionStatus = z.infer<typeof QuestionStatus>;

export const Question = z
  .object({
    id: z.string(),
    site: z.string(),
    topic: z.string(),
    title: z.string(),
    body: z.string(),
    /** Asked anonymously: `author` is null for everyone but moderators. */
    anonymous: z.boolean(),
    author: PublicUser.nullable(),
    /** The signed-in reader asked this question (also when anonymous). */
    mine: z.boolean(),
    status: QuestionStatus,
    acceptedAnswerId: z.string().nullable(),
    votes: z.number().int(),
    /** The signed-in reader's vote: 1 or 0. */
    myVote: z.union([z.literal(0), z.literal(1)]),
    answerCount: z.number().int(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    /** Held for a moderator's approval: sent only to its author and to moderators (absent otherwise). */
    pending: z.boolean().optional(),
    /** Hidden by a moderator: sent only to moderators (absent otherwise). */
    hidden: z.boolean().optional(),
  })
  .openapi('Question');
export type Question = z.infer<typeof Question>;

export const Answer = z
  .object({
    id: z.string(),
    questionId: z.string(),
    body: z.string(),
    author: PublicUser,
    /** The author answered as an expert of the question's topic. */
    expert: z.boolean(),
    accepted: z.boolean(),
    mine: z.boolean(),
    votes: z.number().int(),
    myVote: z.union([z.literal(0), z.literal(1)]),
    createdAt: IsoTime,
    /** Held for a moderator's approval: sent only to its author and to moderators (absent otherwise). */
    pending: z.boolean().optional(),
    /** Hidden by a moderator: sent only to moderators (absent otherwise). */
    hidden: z.boolean().optional(),
  })
  .openapi('Answer');
export type Answer = z.infer<typeof Answer>;

/** A question with its answers: the accepted one first, then by votes, then oldest first. */
export const QuestionDetail = Question.extend({ answers: z.array(Answer) }).openapi(
  'QuestionDetail',
);
export type QuestionDetail = z.infer<typeof QuestionDetail>;

export const QuestionPage = Page(Question).openapi('QuestionPage');
export type QuestionPage = z.infer<typeof QuestionPage>;

export const QuestionListQuery = z.object({
  site: SiteId.optional(),
  topic: TopicKey,
  status: z.enum(['open', 'answered', 'all']).default('all'),
  /** Only the signed-in reader's own questions. */
  mine: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  sort: z.enum(['recent', 'votes']).default('recent'),
  cursor: Cursor,
  limit: Limit,
});

export const SimilarQuery = z.object({
  site: SiteId.optional(),
  topic: TopicKey,
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(10).default(5),
});

/** Response of `GET /v1/questions/similar`: best match first. */
export const SimilarQuestions = z.object({ items: z.array(Question) }).openapi('SimilarQuestions');
export type SimilarQuestions = z.infer<typeof SimilarQuestions>;

export const NewQuestion = z
  .object({
    topic: TopicKey,
    title: z
      .string()
      .trim()
      .min(8, 'title must be 8 to 160 characters')
      .max(160, 'title must be 8 to 160 characters'),
    body: z.string().trim().max(5000, 'body must be at most 5000 characters').default(''),
    anonymous: z.boolean().default(false),
  })
  .strict()
  .openapi('NewQuestion');
export type NewQuestion = z.input<typeof NewQuestion>;

export const NewAnswer = z
  .object({
    body: z
      .string()
      .trim()
      .min(1, 'body must be 1 to 5000 characters')
      .max(5000, 'body must be 1 to 5000 characters'),
  })
  .strict()
  .openapi('NewAnswer');
export type NewAnswer = z.input<typeof NewAnswer>;

export const AcceptRequest = z.object({ answerId: z.string().min(1).max(64) }).strict();
export type AcceptRequest = z.infer<typeof AcceptRequest>;

export const VoteRequest = z
  .object({ value: z.union([z.literal(1), z.literal(0)]) })
  .strict();
export type VoteRequest = z.infer<typeof VoteRequest>;

export const VoteResult = z
  .object({ votes: z.number().int(), myVote: z.union([z.literal(0), z.literal(1)]) })
  .openapi('VoteResult');
export type VoteResult = z.infer<typeof VoteResult>;

export const ExpertList = z.object({ items: z.array(Expert) }).openapi('ExpertList');
export type ExpertList = z.infer<typeof ExpertList>;

export const Health = z.object({ ok: z.boolean(), version: z.string() }).openapi('Health');
export type Health = z.infer<typeof Health>;

// ---------------------------------------------------------------- tips

/**
 * A tag as stored: lower-case, trimmed, inner white space as `-`, a leading `#`
 * dropped, letters (any script), digits, `-` and `_` only, 1 to 32 characters.
 */
export const Tag = z
  .string()
  .max(64, 'tags must be 1 to 32 characters')
  .transform((raw) =>
    raw
      .normalize('NFKC')
      .trim()
      .toLowerCase()
      .replace(/^#+/, '')
      .replace(/\s+/g, '-'),
  )
  .pipe(
    z
      .string()
      .min(1, 'tags must be 1 to 32 characters')
      .max(32, 'tags must be 1 to 32 characters')
      .regex(/^[\p{L}\p{N}_-]+$/u, 'tags may contain letters, digits, - and _'),
  );

export const Tags = z
  .array(Tag)
  .max(5, 'at most 5 tags')
  .transform((tags) => [...new Set(tags)]);

/**
 * A tip's text: up to 500 characters of a small markdown subset (bold, italic,
 * inline code, code block, lists, links). Stored and returned as the text the
 * author typed; the widget renders the subset without ever building HTML from it.
 */
export const TipBody = z
  .string()
  .trim()
  .min(1, 'body must be 1 to 500 characters')
  .max(500, 'body must be 1 to 500 characters');

export const Tip = z
  .object({
    id: z.string(),
    site: z.string(),
    topic: z.string(),
    body: z.string(),
    tags: z.array(z.string()),
    author: PublicUser,
    /** The signed-in reader wrote this tip (and may edit or delete it). */
    mine: z.boolean(),
    helpfulCount: z.number().int(),
    /** The signed-in reader marked this tip helpful. */
    myHelpful: z.boolean(),
    createdAt: IsoTime,
    /** Equal to `createdAt` until the author edits the tip. */
    updatedAt: IsoTime,
    /** Held for a moderator's approval: sent only to its author and to moderators (absent otherwise). */
    pending: z.boolean().optional(),
    /** Hidden by a moderator: sent only to moderators (absent otherwise). */
    hidden: z.boolean().optional(),
  })
  .openapi('Tip');
export type Tip = z.infer<typeof Tip>;

export const TipPage = Page(Tip).openapi('TipPage');
export type TipPage = z.infer<typeof TipPage>;

export const TipListQuery = z.object({
  site: SiteId.optional(),
  topic: TopicKey,
  sort: z.enum(['helpful', 'recent']).default('helpful'),
  tag: Tag.optional(),
  /** Full-text search within the topic's tips. */
  q: z.string().trim().min(1).max(200).optional(),
  cursor: Cursor,
  limit: Limit,
});

/** Query of `GET /v1/tips/tags`. */
export const TagListQuery = z.object({
  site: SiteId.optional(),
  topic: TopicKey,
});

export const NewTip = z
  .object({ topic: TopicKey, body: TipBody, tags: Tags.default([]) })
  .strict()
  .openapi('NewTip');
export type NewTip = z.input<typeof NewTip>;

/** The author's edit: either field or both. */
export const TipEdit = z
  .object({ body: TipBody.optional(), tags: Tags.optional() })
  .strict()
  .openapi('TipEdit');
export type TipEdit = z.input<typeof TipEdit>;

export const HelpfulRequest = z.object({ helpful: z.boolean() }).strict();
export type HelpfulRequest = z.infer<typeof HelpfulRequest>;

export const HelpfulResult = z
  .object({ helpfulCount: z.number().int(), myHelpful: z.boolean() })
  .openapi('HelpfulResult');
export type HelpfulResult = z.infer<typeof HelpfulResult>;

/** The tags used in a topic, most used first: suggestions for the tag input. */
export const TagList = z
  .object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })) })
  .openapi('TagList');
export type TagList = z.infer<typeof TagList>;

// ---------------------------------------------------------------- kudos and people

/** Wall key: like a topic key (`platform-team`, `course-101`), or derived from the page path. */
export const WallKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._~\-/]+$/, 'wall may contain letters, digits and . _ ~ - /')
  .openapi({ example: 'platform-team' });

/** The site's kudos badges by default; a site may configure its own set. */
export const DEFAULT_BADGES = ['helpful', 'mentor', 'team-player', 'problem-solver', 'above-and-beyond'] as const;
/** The site's reaction emoji by default; a site may configure its own set. */
export const DEFAULT_REACTIONS = ['👏', '🎉', '❤️', '🙌', '💡'] as const;

export const KudosMessage = z
  .string()
  .trim()
  .min(1, 'message must be 1 to 280 characters')
  .max(280, 'message must be 1 to 280 characters');

export const Reaction = z
  .object({ emoji: z.string(), count: z.number().int(), mine: z.boolean() })
  .openapi('Reaction');
export type Reaction = z.infer<typeof Reaction>;

/** What a kudos thanks someone for, when it came from a contribution. */
export const KudosFor = z
  .object({ type: z.literal('answer'), questionId: z.string(), answerId: z.string(), questionTitle: z.string(), topic: z.string() })
  .openapi('KudosFor');
export type KudosFor = z.infer<typeof KudosFor>;

export const Kudos = z
  .object({
    id: z.string(),
    site: z.string(),
    wall: z.string(),
    from: PublicUser,
    to: PublicUser,
    message: z.string(),
    badge: z.string(),
    /** In the site's reaction order; emoji nobody used have count 0. */
    reactions: z.array(Reaction),
    for: KudosFor.nullable(),
    mine: z.boolean(),
    createdAt: IsoTime,
    /** Held for a moderator's approval: sent only to its author and to moderators (absent otherwise). */
    pending: z.boolean().optional(),
    /** Hidden by a moderator: sent only to moderators (absent otherwise). */
    hidden: z.boolean().optional(),
  })
  .openapi('Kudos');
export type Kudos = z.infer<typeof Kudos>;

export const KudosPage = Page(Kudos).openapi('KudosPage');
export type KudosPage = z.infer<typeof KudosPage>;

export const KudosListQuery = z.object({
  site: SiteId.optional(),
  wall: WallKey,
  cursor: Cursor,
  limit: Limit,
});

export const NewKudos = z
  .object({
    wall: WallKey,
    /** The recipient's user id (from `GET /v1/users`). */
    to: z.string().min(1).max(64),
    message: KudosMessage,
    badge: z.string().min(1).max(40),
    /** Thanks for an answer: the kudos then links back to its question. */
    for: z.object({ answerId: z.string().min(1).max(64) }).strict().optional(),
  })
  .strict()
  .openapi('NewKudos');
export type NewKudos = z.input<typeof NewKudos>;

export const ReactionRequest = z.object({ emoji: z.string().min(1).max(16) }).strict();
export type ReactionRequest = z.infer<typeof ReactionRequest>;

export const ReactionResult = z.object({ reactions: z.array(Reaction) }).openapi('ReactionResult');
export type ReactionResult = z.infer<typeof ReactionResult>;

export const LeaderboardQuery = z.object({
  site: SiteId.optional(),
  wall: WallKey.optional(),
  period: z.enum(['week', 'month', 'all']).default('month'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const Leaderboard = z
  .object({ items: z.array(z.object({ user: PublicUser, count: z.number().int() })) })
  .openapi('Leaderboard');
export type Leaderboard = z.infer<typeof Leaderboard>;

export const UserSearchQuery = z.object({
  site: SiteId.optional(),
  q: z.string().trim().min(1).max(60),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});

export const UserList = z.object({ items: z.array(PublicUser) }).openapi('UserList');
export type UserList = z.infer<typeof UserList>;

// ---------------------------------------------------------------- moderation

/** What can be reported, hidden, restored and approved. */
export const ContentType = z.enum(['question', 'answer', 'tip', 'kudos']);
export type ContentType = z.infer<typeof ContentType>;

/** Whose new content waits for a moderator's approval on a site. */
export const Premoderation = z.enum(['off', 'guests', 'everyone']);
export type Premoderation = z.infer<typeof Premoderation>;

export const Reason = z
  .string()
  .trim()
  .min(1, 'reason must be 1 to 500 characters')
  .max(500, 'reason must be 1 to 500 characters');

export const NewReport = z
  .object({ type: ContentType, id: z.string().min(1).max(64), reason: Reason })
  .strict()
  .openapi('NewReport');
export type NewReport = z.input<typeof NewReport>;

export const Report = z
  .object({
    id: z.string(),
    type: ContentType,
    itemId: z.string(),
    reason: z.string(),
    status: z.enum(['open', 'resolved']),
    createdAt: IsoTime,
  })
  .openapi('Report');
export type Report = z.infer<typeof Report>;

/** A moderator's action on content or a person; `reason` goes into the audit log. */
export const ModerationRequest = z.object({ reason: Reason }).strict().openapi('ModerationRequest');
/** The same, where a reason is welcome but not required (restore, approve, unblock). */
export const OptionalReasonRequest = z.object({ reason: Reason.optional() }).strict().openapi('OptionalReasonRequest');

export const ModerationQueueQuery = z.object({
  site: SiteId.optional(),
  status: z.enum(['open', 'resolved']).default('open'),
  cursor: Cursor,
  limit: Limit,
});

export const ModerationReport = z
  .object({
    id: z.string(),
    reporter: PublicUser,
    reason: z.string(),
    status: z.enum(['open', 'resolved']),
    createdAt: IsoTime,
    resolvedAt: IsoTime.nullable(),
  })
  .openapi('ModerationReport');

/** A reported or pending record as a moderator sees it: its real author (anonymous askers too) and every report. */
export const ModerationItem = z
  .object({
    type: ContentType,
    id: z.string(),
    site: z.string(),
    /** The topic of a question, answer or tip; the wall of a kudos. */
    topic: z.string().nullable(),
    wall: z.string().nullable(),
    /** The question an answer belongs to (a question's own id for a question). */
    questionId: z.string().nullable(),
    /** A question's title; null for the other types. */
    title: z.string().nullable(),
    /** A question's, answer's or tip's body; a kudos' message. */
    text: z.string(),
    author: PublicUser,
    /** The author is blocked from writing on the site. */
    authorBlocked: z.boolean(),
    anonymous: z.boolean(),
    hidden: z.boolean(),
    pending: z.boolean(),
    createdAt: IsoTime,
    reports: z.array(ModerationReport),
  })
  .openapi('ModerationItem');
export type ModerationItem = z.infer<typeof ModerationItem>;

export const ModerationQueue = Page(ModerationItem).openapi('ModerationQueue');
export type ModerationQueue = z.infer<typeof ModerationQueue>;

export const BlockResult = z.object({ user: PublicUser, blocked: z.boolean() }).openapi('BlockResult');
export type BlockResult = z.infer<typeof BlockResult>;

export const AuditQuery = z.object({ site: SiteId.optional(), cursor: Cursor, limit: Limit });

export const AuditEntry = z
  .object({
    id: z.string(),
    actor: PublicUser,
    action: z.enum(['hide', 'restore', 'approve', 'delete', 'block', 'unblock']),
    targetType: z.enum(['question', 'answer', 'tip', 'kudos', 'user']),
    targetId: z.string(),
    reason: z.string().nullable(),
    createdAt: IsoTime,
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = Page(AuditEntry).openapi('AuditPage');
export type AuditPage = z.infer<typeof AuditPage>;

// ---------------------------------------------------------------- live updates

export const StreamQuery = z.object({
  site: SiteId.optional(),
  /** Comma-separated topic keys. */
  topics: z.string().max(2000).optional(),
  /** Comma-separated wall keys. */
  walls: z.string().max(2000).optional(),
  /** For clients that cannot send the `Last-Event-ID` header; the header wins when both are sent. */
  lastEventId: z.string().max(20).optional(),
});

/**
 * One server-sent event. `id` is the durable event log's id (sent as the SSE
 * id, so `Last-Event-ID` replays what was missed); the SSE `event` field is
 * `type`; `data` is this object as JSON. Records are presented as to a reader
 * who is not signed in: an anonymous asker stays anonymous.
 */
export const LiveEvent = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('question.asked'), topic: z.string(), question: Question }),
    z.object({ type: z.literal('answer.posted'), topic: z.string(), questionId: z.string(), answer: Answer }),
    z.object({ type: z.literal('answer.accepted'), topic: z.string(), questionId: z.string(), answerId: z.string() }),
    z.object({ type: z.literal('tip.shared'), topic: z.string(), tip: Tip }),
    z.object({ type: z.literal('kudos.given'), wall: z.string(), kudos: Kudos }),
    // A moderator hid a record: widgets showing it drop it (by `id`). Approving or restoring one
    // sends its `question.asked`, `answer.posted`, `tip.shared` or `kudos.given` instead.
    z.object({ type: z.literal('item.hidden'), topic: z.string(), itemType: z.enum(['question', 'answer', 'tip']), id: z.string(), questionId: z.string().nullable() }),
    z.object({ type: z.literal('kudos.hidden'), wall: z.string(), id: z.string() }),
  ])
  .openapi('LiveEvent');
export type LiveEvent = z.infer<typeof LiveEvent>;

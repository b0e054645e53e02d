import type {
  Answer,
  ErrorDetail,
  ExpertList,
  HelpfulResult,
  Kudos,
  KudosPage,
  Leaderboard,
  NewAnswer,
  NewKudos,
  NewQuestion,
  NewTip,
  PublicSite,
  Question,
  QuestionDetail,
  QuestionPage,
  ReactionResult,
  Session,
  SessionRequest,
  TagList,
  Tip,
  TipEdit,
  TipPage,
  UserList,
  VoteResult,
} from '@readyhand/api/schemas';

/**
 * A failed API call. `status` is 0 and `code` is `network` when the API could
 * not be reached at all; otherwise both come from the API's one error shape.
 */
export class ApiError extends Error {
  constructor(
    /** HTTP status, 0 when the request never got an answer. */
    readonly status: number,
    /** The API's error code (`validation_failed`, `unauthorized`, …) or `network`. */
    readonly code: string,
    message: string,
    /** Per-field problems of a `validation_failed` error. */
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** `error` as an ApiError: anything else that failed counts as the API being unreachable. */
  static from(error: unknown): ApiError {
    return error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
  }

  /** Worth sending again later: the API was unreachable, overloaded or failing. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`, so that a resent write creates one record. */
  idempotencyKey?: string;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export interface QuestionListParams {
  topic: string;
  status?: 'open' | 'answered' | 'all';
  mine?: boolean;
  sort?: 'recent' | 'votes';
  cursor?: string | null;
  limit?: number;
}

export interface TipListParams {
  topic: string;
  sort?: 'helpful' | 'recent';
  tag?: string;
  cursor?: string | null;
  limit?: number;
}

/**
 * The Readyhand REST API, version 1, over `fetch`. Adds `?site=` to every URL
 * when the site is known (the API decides CORS per site from it) and the
 * session token to every call once signed in.
 *
 * Each call is a function of its own taking the client (`listTips(client, …)`,
 * below), so that a bundle holds only the calls its widget makes; a class's
 * methods cannot be left out.
 */
export class ApiClient {
  /** Session token sent as `Authorization: Bearer …`; set by the session store. */
  token: string | null = null;
  /** Called when the API rejects the session token, so the session can be dropped. */
  onUnauthorized?: () => void;

  constructor(
    /** API base URL, e.g. `https://learn.example.com`. */
    readonly api: string,
    /** Site id; the server's default site when empty. */
    readonly site = '',
  ) {}

  /** The URL of `path` with `query` and the site; unset, empty and false parameters are left out. */
  url(path: string, query: Query = {}): URL {
    const url = new URL(path, this.api.replace(/\/*$/, '/'));
    for (const [k, v] of Object.entries<unknown>({ ...query, site: this.site })) {
      if (v != null && v !== '' && v !== false) url.searchParams.set(k, String(v));
    }
    return url;
  }

  /** Calls the API: by default a POST when there is a body (most writes have one), else a GET. */
  async request<T>(
    path: string,
    { query, body, signal, idempotencyKey, method = body ? 'POST' : 'GET' }: CallOptions & { query?: Query; body?: unknown; method?: string } = {},
  ): Promise<T> {
    const url = this.url(path, query);
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined, signal });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new ApiError(0, 'network', 'network error');
    }
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const err = data?.error ?? {};
      if (res.status === 401 && this.token) this.onUnauthorized?.();
      throw new ApiError(res.status, err.code ?? 'internal', err.message ?? res.statusText, err.details);
    }
    return data as T;
  }
}

const question = (id: string) => `v1/questions/${encodeURIComponent(id)}`;
const tip = (id: string) => `v1/tips/${encodeURIComponent(id)}`;

/**
 * What a widget may know of its site (the server's default one when `site` is
 * empty): its id, and whether guests and anonymous questions are allowed.
 */
export const getSite = (c: ApiClient, o?: CallOptions) => c.request<PublicSite>('v1/site', o);

/** Exchanges a host-signed token or a guest name for a session. */
export const requestSession = (c: ApiClient, body: SessionRequest, o?: CallOptions) => c.request<Session>('v1/session', { ...o, body });

export const listQuestions = (c: ApiClient, query: QuestionListParams, o?: CallOptions) =>
  c.request<QuestionPage>('v1/questions', { ...o, query: { ...query } });

export const similarQuestions = (c: ApiClient, topic: string, q: string, o?: CallOptions) =>
  c.request<{ items: Question[] }>('v1/questions/similar', { ...o, query: { topic, q } });

export const getQuestion = (c: ApiClient, id: string, o?: CallOptions) => c.request<QuestionDetail>(question(id), o);

export const askQuestion = (c: ApiClient, body: NewQuestion, o?: CallOptions) => c.request<Question>('v1/questions', { ...o, body });

export const postAnswer = (c: ApiClient, questionId: string, body: NewAnswer, o?: CallOptions) =>
  c.request<Answer>(`${question(questionId)}/answers`, { ...o, body });

export const acceptAnswer = (c: ApiClient, questionId: string, answerId: string, o?: CallOptions) =>
  c.request<QuestionDetail>(`${question(questionId)}/accept`, { ...o, body: { answerId } });

export const vote = (c: ApiClient, kind: 'questions' | 'answers', id: string, value: 0 | 1, o?: CallOptions) =>
  c.request<VoteResult>(`v1/${kind}/${encodeURIComponent(id)}/vote`, { ...o, body: { value } });

export const listExperts = (c: ApiClient, topic: string, o?: CallOptions) => c.request<ExpertList>('v1/experts', { ...o, query: { topic } });

export const listTips = (c: ApiClient, query: TipListParams, o?: CallOptions) => c.request<TipPage>('v1/tips', { ...o, query: { ...query } });

/** The tags used in a topic, most used first. */
export const tipTags = (c: ApiClient, topic: string, o?: CallOptions) => c.request<TagList>('v1/tips/tags', { ...o, query: { topic } });

export const shareTip = (c: ApiClient, body: NewTip, o?: CallOptions) => c.request<Tip>('v1/tips', { ...o, body });

export const editTip = (c: ApiClient, id: string, body: TipEdit, o?: CallOptions) => c.request<Tip>(tip(id), { ...o, body, method: 'PATCH' });

export const deleteTip = (c: ApiClient, id: string, o?: CallOptions) => c.request<null>(tip(id), { ...o, method: 'DELETE' });

/** Marks a tip helpful, or takes the mark back. */
export const markHelpful = (c: ApiClient, id: string, helpful: boolean, o?: CallOptions) =>
  c.request<HelpfulResult>(`${tip(id)}/helpful`, { ...o, body: { helpful } });

/** Kudos of a wall, newest first: as many as the API gives in one page (50), since a wall shows them at once; `cursor` for the next. */
export const listKudos = (c: ApiClient, wall: string, cursor?: string | null, o?: CallOptions) =>
  c.request<KudosPage>('v1/kudos', { ...o, query: { wall, cursor, limit: 50 } });

export const giveKudos = (c: ApiClient, body: NewKudos, o?: CallOptions) => c.request<Kudos>('v1/kudos', { ...o, body });

/** Adds the learner's reaction to a kudos, or takes it back. */
export const toggleReaction = (c: ApiClient, id: string, emoji: string, o?: CallOptions) =>
  c.request<ReactionResult>(`v1/kudos/${encodeURIComponent(id)}/reactions`, { ...o, body: { emoji } });

/** The most thanked people of a wall in the period. */
export const leaderboard = (c: ApiClient, wall: string, period: 'week' | 'month' | 'all', o?: CallOptions) =>
  c.request<Leaderboard>('v1/kudos/leaderboard', { ...o, query: { wall, period } });

/** People of the site whose name starts with `q`, the learner left out (signed in only). */
export const searchPeople = (c: ApiClient, q: string, o?: CallOptions) => c.request<UserList>('v1/users', { ...o, query: { q } });

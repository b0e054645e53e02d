import type {
  Answer,
  ErrorDetail,
  ExpertList,
  HelpfulResult,
  NewAnswer,
  NewQuestion,
  NewTip,
  PublicSite,
  Question,
  QuestionDetail,
  QuestionPage,
  Session,
  SessionRequest,
  TagList,
  Tip,
  TipEdit,
  TipPage,
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

  /** Calls the API: by default a POST when there is a body (most writes have one), else a GET. */
  async request<T>(
    path: string,
    { query, body, signal, idempotencyKey, method = body ? 'POST' : 'GET' }: CallOptions & { query?: Query; body?: unknown; method?: string } = {},
  ): Promise<T> {
    const url = new URL(path, this.api.replace(/\/*$/, '/'));
    // Unset, empty and false parameters are left out.
    for (const [k, v] of Object.entries<unknown>({ ...query, site: this.site })) {
      if (v != null && v !== '' && v !== false) url.searchParams.set(k, String(v));
    }
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

  /**
   * What a widget may know of its site (the server's default one when `site` is
   * empty): its id, and whether guests and anonymous questions are allowed.
   */
  getSite(o?: CallOptions) {
    return this.request<PublicSite>('v1/site', o);
  }

  /** Exchanges a host-signed token or a guest name for a session. */
  createSession(body: SessionRequest, o?: CallOptions) {
    return this.request<Session>('v1/session', { ...o, body });
  }

  listQuestions(query: QuestionListParams, o?: CallOptions) {
    return this.request<QuestionPage>('v1/questions', { ...o, query: { ...query } });
  }

  similarQuestions(topic: string, q: string, o?: CallOptions) {
    return this.request<{ items: Question[] }>('v1/questions/similar', { ...o, query: { topic, q } });
  }

  getQuestion(id: string, o?: CallOptions) {
    return this.request<QuestionDetail>(question(id), o);
  }

  askQuestion(body: NewQuestion, o?: CallOptions) {
    return this.request<Question>('v1/questions', { ...o, body });
  }

  postAnswer(questionId: string, body: NewAnswer, o?: CallOptions) {
    return this.request<Answer>(`${question(questionId)}/answers`, { ...o, body });
  }

  acceptAnswer(questionId: string, answerId: string, o?: CallOptions) {
    return this.request<QuestionDetail>(`${question(questionId)}/accept`, { ...o, body: { answerId } });
  }

  vote(kind: 'questions' | 'answers', id: string, value: 0 | 1, o?: CallOptions) {
    return this.request<VoteResult>(`v1/${kind}/${encodeURIComponent(id)}/vote`, { ...o, body: { value } });
  }

  listExperts(topic: string, o?: CallOptions) {
    return this.request<ExpertList>('v1/experts', { ...o, query: { topic } });
  }

  listTips(query: TipListParams, o?: CallOptions) {
    return this.request<TipPage>('v1/tips', { ...o, query: { ...query } });
  }

  /** The tags used in a topic, most used first. */
  tipTags(topic: string, o?: CallOptions) {
    return this.request<TagList>('v1/tips/tags', { ...o, query: { topic } });
  }

  shareTip(body: NewTip, o?: CallOptions) {
    return this.request<Tip>('v1/tips', { ...o, body });
  }

  editTip(id: string, body: TipEdit, o?: CallOptions) {
    return this.request<Tip>(tip(id), { ...o, body, method: 'PATCH' });
  }

  deleteTip(id: string, o?: CallOptions) {
    return this.request<null>(tip(id), { ...o, method: 'DELETE' });
  }

  /** Marks a tip helpful, or takes the mark back. */
  markHelpful(id: string, helpful: boolean, o?: CallOptions) {
    return this.request<HelpfulResult>(`${tip(id)}/helpful`, { ...o, body: { helpful } });
  }
}

const question = (id: string) => `v1/questions/${encodeURIComponent(id)}`;
const tip = (id: string) => `v1/tips/${encodeURIComponent(id)}`;

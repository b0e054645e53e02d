import { html, nothing, type PropertyDeclarations } from 'lit';
import { msg, str } from '@lit/localize';
import { ReadyhandElement, Task, initialState, emit, errorView, field, person, renderTask, timeView } from '@readyhand/core';
import type { AuditEntry, AuditPage, BlockResult, ContentType, ModerationItem, ModerationQueue } from '@readyhand/api/schemas';
import type { ModerationAction } from './events.js';
import { styles } from './readyhand-moderation.styles.js';

type View = 'open' | 'resolved' | 'audit';

/** A list shown, with where its next page starts. */
interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

const PAGE = 20;

/** The reason is what the audit log keeps: a hide and a block need one. */
const NEEDS_REASON: ModerationAction[] = ['hide', 'block'];

const keyOf = (item: ModerationItem) => `${item.type}-${item.id}`;

/**
 * The moderators' view of a site: the queue of reported and pending records
 * (open or resolved), each with its real author, text, reports and reasons,
 * the actions hide, restore, approve, block and unblock (with a reason for the
 * audit log), and the audit log itself. Only a session with the moderator or
 * admin role (from the host's identity token, `token` or `token-url`) sees
 * it; anyone else is told it is for moderators only.
 *
 * Not part of `widgets.js`: it is its own bundle, `moderation.js`, which the
 * API serves with a page at `/moderate`.
 *
 * @tag readyhand-moderation
 *
 * @csspart base - The whole element.
 * @csspart sign-in - Who is signed in, or how to sign in.
 * @csspart forbidden - The "moderators only" notice for someone signed in without the role.
 * @csspart toolbar - The view switch and the refresh button.
 * @csspart filter - The view switch (open, resolved, audit log).
 * @csspart refresh - The button that reloads the view.
 * @csspart list - The queue.
 * @csspart item - A record in the queue.
 * @csspart badge - Type, pending, hidden and blocked marks.
 * @csspart pending - The "Pending approval" mark (also a `badge`).
 * @csspart hidden - The "Hidden" mark (also a `badge`).
 * @csspart blocked - The "Author blocked" mark (also a `badge`).
 * @csspart title - A question's title.
 * @csspart body - A record's text.
 * @csspart meta - Author, place and time.
 * @csspart author - A person's name.
 * @csspart avatar - A person's picture or initials.
 * @csspart reports - The reports of a record.
 * @csspart form - The actions form of a record.
 * @csspart input - The reason field.
 * @csspart action - Every action button; each also has its action's name as a part: `hide`, `restore`, `approve`, `block`, `unblock`.
 * @csspart audit - The audit log table.
 * @csspart more - The button that loads the next page.
 * @csspart loading - The loading skeleton.
 * @csspart empty - The empty state.
 * @csspart error - Error messages.
 * @csspart retry - The Retry button.
 * @csspart live - The visually hidden aria-live region.
 *
 * @event rh-moderated - A moderator's action was carried out; detail: `{ action, item }`.
 * @event rh-signed-in - A moderator signed in; detail: the user.
 * @event rh-error - An API call failed; detail: the `ApiError`.
 */
export class ReadyhandModeration extends ReadyhandElement {
  static override styles = [ReadyhandElement.styles, styles];

  static override properties: PropertyDeclarations = {
    view: {},
    errors: { attribute: false },
  };

  /** What is shown: `open` reports and pending records, `resolved` ones, or the `audit` log. */
  view: 'open' | 'resolved' | 'audit' = 'open';

  /** Per record (`type-id`): the last failed action, or the reason that was missing. */
  private errors = new Map<string, { action?: unknown; reason?: string }>();

  private get moderator(): boolean {
    return !!this.session.user?.roles.length;
  }

  private readonly queue = new Task(this, {
    task: async ([client, status, moderator], { signal }): Promise<Paged<ModerationItem>> => {
      if (!moderator || status === 'audit') return initialState as never;
      this.errors = new Map();
      return client.request<ModerationQueue>('v1/moderation/queue', { query: { status, limit: PAGE }, signal });
    },
    args: () => [this.client, this.view, this.moderator && this.session.user!.id] as const,
    onError: (e) => this.fail(e),
  });

  private readonly audit = new Task(this, {
    task: async ([client, view, moderator], { signal }): Promise<Paged<AuditEntry>> => {
      if (!moderator || view !== 'audit') return initialState as never;
      return client.request<AuditPage>('v1/moderation/audit', { query: { limit: PAGE }, signal });
    },
    args: () => [this.client, this.view, this.moderator && this.session.user!.id] as const,
    onError: (e) => this.fail(e),
  });

  // ------------------------------------------------------------ actions

  /** Switches the view and says what it now holds. */
  private async show(view: View) {
    this.view = view;
    await this.updateComplete;
    const page = await (view === 'audit' ? this.audit : this.queue).taskComplete.catch(() => null);
    if (page) this.announce(msg(str`${page.items.length} shown`));
  }

  /** Appends the next page of `path` to `page`. */
  private more(page: Paged<unknown>, path: string, query: Record<string, string> = {}) {
    return this.act('more', async () => {
      const next = await this.client.request<Paged<unknown>>(path, { query: { ...query, limit: PAGE, cursor: page.nextCursor } });
      page.items.push(...next.items);
      page.nextCursor = next.nextCursor;
      this.announce(msg(str`${next.items.length} more shown`));
    });
  }

  /**
   * Carries out `action` on `item` (or, to block and unblock, on its author):
   * shown at once, rolled back with the error beside the record if the API
   * refuses. A hide or block without a reason is not sent: the reason field
   * says why. The buttons stay enabled (a disabled button would lose focus);
   * a second press while one is on its way does nothing.
   */
  private async moderate(item: ModerationItem, action: ModerationAction) {
    const key = keyOf(item);
    if (this.busy.has(key)) return;
    const input = this.renderRoot.querySelector<HTMLInputElement>(`#reason-${key}`);
    const reason = input?.value.trim() ?? '';
    this.errors.set(key, {});
    this.requestUpdate();
    if (!reason && NEEDS_REASON.includes(action)) {
      this.errors.set(key, { reason: msg('Give a reason: it goes into the audit log.') });
      return input?.focus();
    }
    const items = this.queue.value?.items ?? [];
    const ofPerson = action === 'block' || action === 'unblock';
    const before = items.map((i) => ({ ...i }));
    const optimistic: Partial<ModerationItem> = {
      hide: { hidden: true },
      restore: { hidden: false },
      approve: { pending: false },
      block: { authorBlocked: true },
      unblock: { authorBlocked: false },
    }[action];
    // A person's records all show the block at once.
    const affected = ofPerson ? items.filter((i) => i.author.id === item.author.id) : [item];
    for (const i of affected) Object.assign(i, optimistic);
    this.busy.add(key);
    const path = ofPerson
      ? `v1/moderation/users/${encodeURIComponent(item.author.id)}/${action}`
      : `v1/moderation/${item.type}/${encodeURIComponent(item.id)}/${action}`;
    try {
      const result = await this.client.request<ModerationItem | BlockResult>(path, { body: reason ? { reason } : {} });
      if ('blocked' in result) for (const i of affected) i.authorBlocked = result.blocked;
      else Object.assign(item, result);
      if (input) input.value = '';
      emit(this, 'rh-moderated', { action, item: { ...item } });
      this.announce(
        {
          hide: msg('Hidden.'),
          restore: msg('Restored.'),
          approve: msg('Approved.'),
          block: msg(str`${item.author.name} is blocked.`),
          unblock: msg(str`${item.author.name} is unblocked.`),
        }[action],
      );
    } catch (error) {
      items.forEach((i, n) => Object.assign(i, before[n]));
      this.errors.set(key, { action: error });
      this.fail(error);
    }
    this.busy.delete(key);
    this.requestUpdate();
  }

  // ------------------------------------------------------------ rendering

  /** Who is signed in; not signed in, how to: moderators come with the host's token, never as guests. */
  protected override signInView(label: string, hint: string, next: string) {
    return this.session.user ? super.signInView(label, hint, next) : html`<p part="sign-in" class="muted">${hint}</p>`;
  }

  override render() {
    const user = this.session.user;
    return this.frame(
      msg('Moderation'),
      [
        '',
        msg('For moderators only. Sign in to your site as a moderator, then open moderation from there.'),
        'view-open',
      ],
      !user
        ? nothing
        : !this.moderator
          ? html`<div part="forbidden" role="alert">
              <p>${msg('For moderators only.')} ${msg(str`${user.name} is not a moderator or admin of this site.`)}</p>
            </div>`
          : [this.renderToolbar(), this.view === 'audit' ? this.renderAudit() : this.renderQueue()],
    );
  }

  private renderToolbar() {
    const views: [View, string][] = [
      ['open', msg('Open')],
      ['resolved', msg('Resolved')],
      ['audit', msg('Audit log')],
    ];
    return html`<div part="toolbar" class="row">
      <div part="filter" class="row" role="group" aria-label=${msg('Show')}>
        ${views.map(
          ([view, label]) =>
            html`<button id="view-${view}" aria-pressed=${String(this.view === view)} @click=${() => this.show(view)}>${label}</button>`,
        )}
      </div>
      <button part="refresh" @click=${() => (this.view === 'audit' ? this.audit : this.queue).run()}>${msg('Refresh')}</button>
    </div>`;
  }

  private renderQueue() {
    return renderTask(this.queue, {
      rows: 6,
      complete: (page) =>
        page.items.length
          ? html`<ul part="list" aria-label=${this.view === 'open' ? msg('Open queue') : msg('Resolved queue')}>
                ${page.items.map((item) => this.renderItem(item))}
              </ul>
              ${this.renderMore(page, () => this.more(page, 'v1/moderation/queue', { status: this.view }))}`
          : html`<div part="empty">
              <p>
                ${this.view === 'open'
                  ? msg('Nothing to review. Reported posts and posts waiting for approval appear here.')
                  : msg('No resolved reports yet.')}
              </p>
            </div>`,
    });
  }

  private renderMore(page: Paged<unknown>, more: () => void) {
    return page.nextCursor
      ? html`<button part="more" ?disabled=${this.busy.has('more')} @click=${more}>${msg('More')}</button>`
      : nothing;
  }

  private typeLabel(type: ContentType) {
    return { question: msg('Question'), answer: msg('Answer'), tip: msg('Tip'), kudos: msg('Kudos') }[type];
  }

  private renderItem(item: ModerationItem) {
    const key = keyOf(item);
    const error = this.errors.get(key);
    const busy = this.busy.has(key);
    const openReports = item.reports.filter((r) => r.status === 'open').length;
    const action = (name: ModerationAction, label: string) =>
      html`<button type="button" part="action ${name}" @click=${() => this.moderate(item, name)}>${label}</button>`;
    return html`<li part="item" class="item" aria-labelledby="title-${key}" aria-busy=${String(busy)}>
      <div class="grow">
        <h3 id="title-${key}">
          <span part="badge">${this.typeLabel(item.type)}</span>
          ${item.title ? html`<span part="title">${item.title}</span>` : nothing}
        </h3>
        <p part="body">${item.text}</p>
        <p part="meta">
          ${person(item.author)} ${item.anonymous ? html`<span class="muted">${msg('(asked anonymously)')}</span>` : nothing}
          · ${item.topic ?? item.wall} · ${timeView(item.createdAt)}
          ${item.pending ? html`<span part="badge pending">${msg('Pending approval')}</span>` : nothing}
          ${item.hidden ? html`<span part="badge hidden">${msg('Hidden')}</span>` : nothing}
          ${item.authorBlocked ? html`<span part="badge blocked">${msg('Author blocked')}</span>` : nothing}
        </p>
        ${item.reports.length
          ? html`<ul part="reports" aria-label=${msg('Reports')}>
              ${item.reports.map(
                (r) =>
                  html`<li>
                    ${r.reporter.name}: ${r.reason} · ${timeView(r.createdAt)}
                    ${r.status === 'resolved' ? html`<span class="muted">(${msg('resolved')})</span>` : nothing}
                  </li>`,
              )}
            </ul>`
          : nothing}
        <form part="form" novalidate @submit=${(e: Event) => e.preventDefault()}>
          ${field({
            id: `reason-${key}`,
            label: msg('Reason (needed to hide or block; kept in the audit log)'),
            error: error?.reason,
            maxlength: 500,
          })}
          <div class="row">
            ${item.hidden ? action('restore', msg('Restore')) : action('hide', msg('Hide'))}
            ${!item.hidden && openReports ? action('restore', msg('Keep, dismiss reports')) : nothing}
            ${item.pending ? action('approve', msg('Approve')) : nothing}
            ${item.authorBlocked
              ? action('unblock', msg(str`Unblock ${item.author.name}`))
              : action('block', msg(str`Block ${item.author.name}`))}
          </div>
        </form>
        ${error?.action ? errorView(error.action) : nothing}
      </div>
    </li>`;
  }

  private renderAudit() {
    const actions: Record<AuditEntry['action'], string> = {
      hide: msg('hid'),
      restore: msg('restored'),
      approve: msg('approved'),
      delete: msg('deleted'),
      block: msg('blocked'),
      unblock: msg('unblocked'),
    };
    return renderTask(this.audit, {
      rows: 6,
      complete: (page) =>
        page.items.length
          ? html`<table part="audit">
                <caption class="vh">${msg('Audit log')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${msg('When')}</th>
                    <th scope="col">${msg('Moderator')}</th>
                    <th scope="col">${msg('Action')}</th>
                    <th scope="col">${msg('What')}</th>
                    <th scope="col">${msg('Reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${page.items.map(
                    (e) =>
                      html`<tr>
                        <td>${timeView(e.createdAt)}</td>
                        <td>${e.actor.name}</td>
                        <td>${actions[e.action]}</td>
                        <td>${e.targetType === 'user' ? msg('Person') : this.typeLabel(e.targetType)} ${e.targetId}</td>
                        <td>${e.reason ?? ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              ${this.renderMore(page, () => this.more(page, 'v1/moderation/audit'))}`
          : html`<div part="empty"><p>${msg('No moderator actions yet.')}</p></div>`,
    });
  }
}

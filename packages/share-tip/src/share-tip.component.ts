import { html, nothing, type PropertyDeclarations } from 'lit';
import { msg, str } from '@lit/localize';
import {
  ReadyhandElement,
  emit,
  kit,
  Task,
  arrive,
  choice,
  deriveTopicFromPath,
  listTips,
  live,
  newestFirst,
  person,
  type DraftForms,
  plural,
  renderTask,
  timeView,
  tipTags,
} from '@readyhand/core';
import type { Tip } from '@readyhand/api/schemas';
import { markdown } from './markdown.js';
import type { TipForm, TipHost, TipKit, tipForm } from './tip-form.js';
import { styles } from './share-tip.styles.js';
import type {} from './events.js';

type Sort = 'helpful' | 'recent';

const PAGE = 10;

/** What the form takes from this bundle (see tip-form.ts). */
const tipKit: TipKit = { ...kit, emit, arrive, markdown };

/**
 * Share a tip, where you are working: short tips in a little markdown, the
 * most helpful first, marked helpful by colleagues, tagged and filtered by tag.
 *
 * @tag share-tip
 *
 * @csspart base - The whole widget.
 * @csspart sign-in - The guest sign-in form, or the hint on how to sign in.
 * @csspart form - Every form (share, sign-in).
 * @csspart share - The form to share a tip, or to edit one of your tips.
 * @csspart input - Every text field.
 * @csspart tags - The tags field.
 * @csspart preview-toggle - The button that shows or hides the preview.
 * @csspart preview - The preview of the tip being written.
 * @csspart submit - Every form's submit button.
 * @csspart cancel - The button that stops editing a tip.
 * @csspart toolbar - Sort and tag filter.
 * @csspart sort - The sort control.
 * @csspart filter - The tag filter.
 * @csspart list - The list of tips.
 * @csspart item - Every list item.
 * @csspart tip - A tip.
 * @csspart author - A person's name.
 * @csspart avatar - A person's picture or initials.
 * @csspart body - A tip's text (and the preview).
 * @csspart meta - Author, time and tags.
 * @csspart badge - A tip's tags.
 * @csspart tag - A tip's tag.
 * @csspart count - The character count and helpful counts.
 * @csspart helpful - The "Helpful" toggle buttons.
 * @csspart edit - The Edit button of your tips.
 * @csspart delete - The Delete button of your tips.
 * @csspart more - The button that loads more tips.
 * @csspart loading - The loading skeleton.
 * @csspart empty - The empty state.
 * @csspart error - Error messages.
 * @csspart retry - The Retry button.
 * @csspart report - The Report disclosure of a record by someone else (signed in only), with its form.
 * @csspart pending - The "Pending approval" badge on your own record waiting for a moderator.
 * @csspart live - The visually hidden aria-live region.
 *
 * @event rh-tip-shared - A tip was shared; detail: the tip.
 * @event rh-tip-marked-helpful - A tip was marked helpful; detail: the tip with its new count.
 * @event rh-signed-in - A learner signed in; detail: the user.
 * @event rh-error - An API call failed; detail: the `ApiError`.
 */
export class ShareTip extends ReadyhandElement {
  static override styles = [ReadyhandElement.styles, styles];

  static override properties: PropertyDeclarations = {
    topic: {},
    sort: {},
    tag: {},
    editing: { attribute: false },
    deleting: { attribute: false },
    preview: { attribute: false },
  };

  /** Topic key such as `kubernetes` or `course-101/week-3`; derived from the page path when empty. */
  topic = '';
  /** Order of the list: `helpful` (most marked helpful first) or `recent`. */
  sort: 'helpful' | 'recent' = 'helpful';
  /** Only tips with this tag; all tips when empty. */
  tag = '';

  /** The tip being edited, the tip whose Delete was pressed once, and whether the preview is shown. */
  protected editing: string | null = null;
  protected deleting: string | null = null;
  protected preview = false;
  /** Where the next page of the list starts. */
  private cursor: string | null = null;
  /** Tips shared since the list loaded, oldest first: they slide in above it. */
  private fresh: Tip[] = [];

  /** The tips shown: the first page, and the pages loaded after it (appended to the same array). */
  private readonly tips = new Task(this, {
    task: async (_args, { signal }) => {
      const items = await this.page(null, signal);
      this.fresh = [];
      return items;
    },
    // What the first page depends on; page() reads the same from the element.
    args: () => [this.client, this.topicKey, this.sort, this.tag, this.session.user?.id],
    onError: (e) => this.fail(e),
  });

  /** The topic's tags: suggestions for the tags field and the tag filter. */
  private readonly tags = new Task(this, {
    task: ([client, topic], { signal }) => tipTags(client, topic, { signal }),
    args: () => [this.client, this.topicKey] as const,
  });

  constructor() {
    super();
    live(this, () => `topics:${this.topicKey}`, (e) => {
      if (e.type !== 'tip.shared' || (this.tag && !e.tip.tags.includes(this.tag))) return;
      // Sent as to anyone: one's own tip, if the stream brings it before (or instead of) the API's answer, is still one's own.
      const tip = { ...e.tip, mine: e.tip.author.id == this.session.user?.id };
      if (arrive(this.tips.value, this.fresh, tip) && !tip.mine) this.announce(msg(str`New tip from ${tip.author.name}`));
      this.requestUpdate();
    }, () => this.tips.run());
  }

  /** The topic in use: `topic`, or the one derived from the page path. */
  get topicKey(): string {
    return this.topic || deriveTopicFromPath(location.pathname);
  }

  /** The form and what a signed-in learner does to tips, once loaded (see tip-form.ts). */
  protected declare forms?: TipForm;

  protected override formsModule(fresh: string) {
    // The cast: the form reaches members that are private to everything else.
    return import(`./tip-form.js${fresh}`).then((m: { tipForm: typeof tipForm }) => (forms: DraftForms) => m.tipForm(forms, tipKit, this as unknown as TipHost));
  }

  /** A page of the tips as sorted and filtered now; remembers where the next one starts. */
  private async page(cursor: string | null, signal?: AbortSignal) {
    const page = await listTips(
      this.client,
      { topic: this.topicKey, sort: this.sort, tag: this.tag, cursor, limit: PAGE },
      { signal },
    );
    this.cursor = page.nextCursor;
    return page.items;
  }

  // ------------------------------------------------------------ actions

  /** Changes what the list shows, and says how many tips it now holds. */
  private async show(change: Partial<Pick<ShareTip, 'sort' | 'tag'>>) {
    Object.assign(this, change);
    await this.updateComplete;
    const items = await this.tips.taskComplete.catch(() => null);
    if (items) this.announce(plural(items.length, msg(str`${items.length} tip shown`), msg(str`${items.length} tips shown`)));
  }

  // ------------------------------------------------------------ rendering

  override render() {
    return this.frame(
      msg('Tips'),
      [msg('Your name, to share tips as a guest'), msg('To share a tip, sign in to this website, then reload the page.'), 'body'],
      [this.session.user ? this.forms?.render() : nothing, this._renderToolbar(), this._renderList()],
    );
  }

  private _renderToolbar() {
    return html`<div part="toolbar" class="row">
      ${choice(
        'sort',
        msg('Sort by'),
        this.sort,
        [
          ['helpful', msg('Most helpful')],
          ['recent', msg('Most recent')],
        ],
        (sort) => this.show({ sort: sort as Sort }),
      )}
      ${choice(
        'filter',
        msg('Tag'),
        this.tag,
        [['', msg('All tags')], ...(this.tags.value?.items.map(({ tag }): [string, string] => [tag, `#${tag}`]) ?? [])],
        (tag) => this.show({ tag }),
      )}
    </div>`;
  }

  private _renderList() {
    return renderTask(this.tips, {
      rows: 5,
      retry: () => {
        this.session.loadSite();
        this.tags.run();
        this.tips.run();
      },
      empty: html`<p>${this.tag ? msg('No tips with this tag.') : msg('No tips here yet. Share the first one!')}</p>
        ${this.session.user
          ? html`<button class="link" @click=${() => this.focusLater('body')}>${msg('Share a tip')}</button>`
          : nothing}`,
      complete: (items) =>
        html`<ul part="list" aria-label=${msg('Tips')}>
            ${newestFirst(this.fresh, (tip) => this._renderTip(tip, 'new'))}${items.map((tip) => this._renderTip(tip))}
          </ul>
          ${this.cursor
            ? html`<button
                part="more"
                ?disabled=${this.busy.has('more')}
                @click=${() =>
                  this.act('more', async () => {
                    const more = await this.page(this.cursor);
                    items.push(...more);
                    this.announce(plural(more.length, msg(str`${more.length} more tip`), msg(str`${more.length} more tips`)));
                    if (more[0]) this.focusLater(`t-${more[0].id}`);
                  })}
              >
                ${msg('More tips')}
              </button>`
            : nothing}`,
    });
  }

  private _renderTip(tip: Tip, fresh = '') {
    const busy = this.busy.has(tip.id);
    return html`<li id="t-${tip.id}" part="item tip" class="item ${fresh}" tabindex="-1">
      <div class="grow">
        <div part="body">${markdown(tip.body)}</div>
              <p part="meta">
                ${person(tip.author)} · ${timeView(tip.createdAt)}
                ${tip.tags.map((t) => html`<span part="badge tag">#${t}</span>`)}
              </p>
              <div class="row">
                <button
                  part="helpful"
                  aria-pressed=${String(tip.myHelpful)}
                  ?disabled=${!this.session.user || tip.mine || busy}
                  @click=${() => this.withForms(tip.id, (forms: TipForm) => forms.markHelpful(tip))}
                >
                  ${msg('Helpful')} <span part="count">${tip.helpfulCount}</span>
                </button>
                ${tip.mine ? this.forms?.mine(tip, busy) : nothing}
                ${this.moderationView(tip)}
              </div>
      </div>
    </li>`;
  }
}

import type { ApiClient, DraftForms, Task, FormHost, Kit, SessionStore, arrive, emit } from '@readyhand/core';
// The forms' own API calls: built into this file, not the bundles (rollup.config.mjs takes them from api-client.ts alone).
import { deleteTip, editTip, markHelpful, shareTip } from '@readyhand/core';
import type { Tip } from '@readyhand/api/schemas';
import type { markdown } from './markdown.js';

/** What the form takes from the bundle that loads it, so that it imports nothing at run time and one file serves widgets.js and share-tip.js. */
export type TipKit = Kit & { emit: typeof emit; arrive: typeof arrive; markdown: typeof markdown };

/** The members of `<share-tip>` the form uses. None is `_`-prefixed: the bundles' minifier renames those. */
export interface TipHost extends FormHost {
  client: ApiClient;
  session: SessionStore;
  topicKey: string;
  tips: Task<unknown[], Tip[]>;
  tags: Task<unknown[], { items: { tag: string }[] }>;
  fresh: Tip[];
  editing: string | null;
  deleting: string | null;
  preview: boolean;
  announce(text: string): void;
  act(id: string, action: () => Promise<unknown>): Promise<void>;
}

/** The API's limit on a tip's text. */
const MAX = 500;

/** The tags typed in one field, separated by commas. */
const tagList = (tags: unknown) =>
  String(tags ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * `<share-tip>`'s form (share a tip, edit one of yours) and what a signed-in
 * learner does to tips (mark helpful, edit, delete). A module of its own,
 * loaded with `draft-form.js` once a learner is signed in or signing in (see
 * `ReadyhandElement.loadForms`): a reader who only reads never downloads it.
 * The build writes it beside the bundles as `tip-form.js`.
 */
export function tipForm(forms: DraftForms, kit: TipKit, host: TipHost) {
  const { html, nothing, css, msg, emit, field } = kit;
  host.adoptStyles(css`
    [part~='preview'] {
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
      padding: var(--_gap);
    }
  `);
  const scope = () => `${host.topicKey}|tip:`;

  /**
   * Changes every listed copy of the tip `change.id` (the list may have reloaded meanwhile), and `also`.
   * A reload still under way may have been read before this change: it starts again, so it cannot put
   * the older tip back over it.
   */
  const updateTip = (change: Partial<Tip> & { id: string }, also?: Tip) => {
    for (const t of [also, ...host.fresh, ...(host.tips.value ?? [])]) if (t?.id === change.id) Object.assign(t, change);
    // 1: TaskStatus.PENDING.
    if (host.tips.status === 1) host.tips.run();
  };

  /** The form's drafts: the new tip's, and one per tip being edited (its `id` field). */
  const share = forms.draft(
    host,
    ({ id, body = '', tags }, idempotencyKey) => {
      const tip = { body: String(body), tags: tagList(tags) };
      return id
        ? editTip(host.client, String(id), tip, { idempotencyKey })
        : shareTip(host.client, { topic: host.topicKey, ...tip }, { idempotencyKey });
    },
    (tip) => {
      host.preview = false;
      // A tip's `updatedAt` equals its `createdAt` until it is edited.
      // The stream may have brought the tip first, as to someone else: ours says it is mine.
      updateTip(tip);
      if (tip.updatedAt === tip.createdAt) {
        emit(host, 'rh-tip-shared', tip);
        host.tips.value ? kit.arrive(host.tips.value, host.fresh, tip) : host.tips.run();
        host.announce(msg('Your tip was shared.'));
      } else {
        if (host.editing === tip.id) host.editing = null;
        host.announce(msg('Your tip was saved.'));
      }
      host.tags.run();
      host.focusLater(`t-${tip.id}`);
    },
    () => !!host.session.user,
  );

  host.addController({
    // Every draft of the topic is this form's: a pending one is resent whichever tip is being edited.
    hostUpdate: () => share.use(scope(), host.editing ?? ''),
  });

  return {
    /** The form: the text with its count and preview, and the tags with the topic's tags as suggestions. */
    render() {
      const body = share.get('body');
      const length = body.trim().length;
      const tags = share.get('tags');
      // Suggestions complete the tag being typed after the ones before it.
      const typed = /^(?:.*,)?\s*/.exec(tags)![0];
      const used = tagList(tags);
      return forms.draftForm(
        host,
        share,
        'share',
        host.editing ? msg('Save') : msg('Share tip'),
        html`<h3>${host.editing ? msg('Edit your tip') : msg('Share a tip')}</h3>
          ${forms.draftField(share, 'body', 'body', msg('Your tip'), true)}
          <div class="row">
            <span part="count" class=${length > MAX ? 'field-error' : ''}>${length}/${MAX}</span>
            <button
              type="button"
              part="preview-toggle"
              aria-pressed=${String(host.preview)}
              @click=${() => (host.preview = !host.preview)}
            >
              ${msg('Preview')}
            </button>
          </div>
          ${host.preview ? html`<div part="preview body">${kit.markdown(body)}</div>` : nothing}
          ${field({
            id: 'tags',
            label: msg('Tags, separated by commas (optional)'),
            part: 'tags',
            value: tags,
            list: 'tag-list',
            error: share.fieldError('tags'),
            input: (v) => share.set('tags', v),
          })}
          <datalist id="tag-list">
            ${host.tags.value?.items
              .filter(({ tag }) => !used.includes(tag))
              .map(({ tag }) => html`<option value=${typed + tag}></option>`)}
          </datalist>`,
        { body: 'body', tags: 'tags' },
        host.editing
          ? html`<button type="button" part="cancel" @click=${() => this.edit(null)}>${msg('Cancel')}</button>`
          : nothing,
      );
    },

    /** Edit and Delete, on the learner's own tip (only a signed-in learner has one, so they come with the forms). */
    mine(tip: Tip, busy: boolean) {
      return html`<button part="edit" ?disabled=${busy} @click=${() => this.edit(tip)}>${msg('Edit')}</button>
        <button part="delete" ?disabled=${busy} @click=${() => this.delete(tip)}>
          ${host.deleting === tip.id ? msg('Delete for good') : msg('Delete')}
        </button>`;
    },

    /** Edits `tip` in the form, or stops editing (`null`); focus follows. */
    edit(tip: Tip | null) {
      const closed = host.editing;
      host.editing = tip?.id ?? null;
      if (tip) {
        share.use(scope(), tip.id);
        // A pending edit is shown as it waits to be sent; otherwise the form starts from the tip.
        if (!share.draft.pending) share.draft = { fields: { id: tip.id, body: tip.body, tags: tip.tags.join(', ') } };
      }
      host.focusLater(tip ? 'body' : `t-${closed}`);
    },

    /** Deletes one of the learner's tips on the second press; focus goes to the next tip. */
    delete(tip: Tip) {
      if (host.deleting !== tip.id) {
        host.deleting = tip.id;
        return host.announce(msg('Press again to delete.'));
      }
      return host.act(tip.id, async () => {
        await deleteTip(host.client, tip.id);
        const list = host.tips.value!;
        const shown = [...host.fresh].reverse().concat(list);
        const i = shown.indexOf(tip);
        for (const tips of [host.fresh, list]) if (tips.includes(tip)) tips.splice(tips.indexOf(tip), 1);
        // Tips that arrived live show above the list only while it holds some.
        if (!list.length) list.push(...host.fresh.splice(0).reverse());
        host.announce(msg('Tip deleted.'));
        host.focusLater(`t-${(shown[i + 1] ?? shown[i - 1])?.id}`);
      });
    },

    /** Toggles the helpful mark at once, and rolls it back if the API refuses it. */
    markHelpful(tip: Tip) {
      const { helpfulCount, myHelpful } = tip;
      const helpful = !myHelpful;
      const apply = (mark: Pick<Tip, 'id' | 'helpfulCount' | 'myHelpful'>) => updateTip(mark, tip);
      apply({ id: tip.id, helpfulCount: helpfulCount + (helpful ? 1 : -1), myHelpful: helpful });
      return host.act(tip.id, async () => {
        try {
          apply({ id: tip.id, ...(await markHelpful(host.client, tip.id, helpful)) });
        } catch (error) {
          apply({ id: tip.id, helpfulCount, myHelpful });
          throw error;
        }
        if (helpful) emit(host, 'rh-tip-marked-helpful', { ...tip });
      });
    },
  };
}

/** What `tip-form.js` gives `<share-tip>`. */
export type TipForm = ReturnType<typeof tipForm>;

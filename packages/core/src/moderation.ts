import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { Answer, Kudos, Question, Tip } from '@readyhand/api/schemas';
import type { ReadyhandElement } from './readyhand-element.js';
import type reportForm from './report-form.js';
import { field } from './views.js';

/** The Report form, once a reader on the page has opened a Report disclosure (see report-form.ts). */
let form: typeof reportForm | undefined;

/**
 * The moderation marks of a question, answer, tip or kudos card, shared by
 * every widget: "Pending approval" on the author's own record that waits for
 * a moderator; else, for a signed-in reader of someone else's record, a
 * Report disclosure. A `<details>` keeps the open state and keyboard handling
 * native. Its form is not needed for a first render, so it is not in the
 * bundle: opening a disclosure loads `report-form.js` from beside the bundle
 * (once a page; a failure to load shows as the action error), and from then
 * on every disclosure of the widget holds the form.
 */
export function moderationView(host: ReadyhandElement, item: Question | Answer | Tip | Kudos) {
  if (item.pending) return html`<span part="badge pending">${msg('Pending approval')}</span>`;
  // `mine` is as the API saw the reader; a copy the stream brought first was sent as to anyone, so its author decides too.
  const me = host.session.user;
  if (item.mine || !me || me.id == ((item as Tip).author ?? (item as Kudos).from)?.id) return nothing;
  const load = () =>
    host.act('report', async () => {
      form = (await import('./report-form.js')).default;
    });
  return html`<details part="report" @toggle=${load}>
    <summary>${msg('Report')}</summary>
    ${form?.(html, msg, field, host, item)}
  </details>`;
}

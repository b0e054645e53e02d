import type { html as litHtml } from 'lit';
import type { msg as litMsg } from '@lit/localize';
import type { Answer, Kudos, Question, Tip } from '@readyhand/api/schemas';
import type { ReadyhandElement } from './readyhand-element.js';
import type { field as viewsField } from './views.js';

/**
 * The form of a Report disclosure (see `moderationView` in draft-form.ts), which asks why (the API
 * requires a reason). A module of its own, loaded when a reader first opens a
 * disclosure, so that a page pays for it only then: the build writes it beside
 * the bundles as `report-form.js`. It imports nothing at run time: Lit's
 * `html`, `msg()` and `field` come from the bundle that loaded it, so one file
 * serves widgets.js and every widget's own bundle, in the widget's language.
 *
 * A report sent is announced, the disclosure closes and focus goes back to its
 * summary; a failure shows as the action error.
 */
export default function reportForm(
  html: typeof litHtml,
  msg: typeof litMsg,
  field: typeof viewsField,
  host: ReadyhandElement,
  item: Question | Answer | Tip | Kudos,
) {
  // Record ids are unique across types; the type shows in the record's own fields.
  const id = `r-${item.id}`;
  const type = 'questionId' in item ? 'answer' : 'title' in item ? 'question' : 'wall' in item ? 'kudos' : 'tip';
  const send = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const details = form.parentElement as HTMLDetailsElement;
    host.act(id, async () => {
      await host.client.request('v1/reports', { body: { type, id: item.id, reason: (form[0] as HTMLInputElement).value } });
      details.open = false;
      (details.firstElementChild as HTMLElement).focus();
      host.announce(msg('Reported. Thank you.'));
    });
  };
  return html`<form part="form" novalidate @submit=${send}>
    ${field({ id, label: msg('Why report this?') })}
    <button part="submit">${msg('Report')}</button>
  </form>`;
}

import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { PublicUser } from '@readyhand/api/schemas';
import { initials, relativeTime } from './format.js';

const pictured = (picture: string | null | undefined) => !!picture && /^https?:/.test(picture);

/** A person's picture (http or https only), or their initials where there is none. */
export const avatar = ({ picture, name }: PublicUser) =>
  pictured(picture)
    ? html`<img part="avatar" src=${picture} alt="" width="24" height="24" />`
    : html`<span part="avatar" aria-hidden="true">${initials(name)}</span>`;

/**
 * A person's avatar and name; `null` is an anonymous author, called `anonymous`. One template
 * each, not the avatar's inside the person's: a wall of 50 cards has 100 of them.
 */
export const person = (user: PublicUser | null, anonymous = msg('Anonymous')) =>
  !user
    ? html`<span part="author">${anonymous}</span>`
    : pictured(user.picture)
      ? html`<img part="avatar" src=${user.picture} alt="" width="24" height="24" /><span part="author">${user.name}</span>`
      : html`<span part="avatar" aria-hidden="true">${initials(user.name)}</span><span part="author">${user.name}</span>`;

/** "3 minutes ago" in the rendering widget's language, with the exact time for machines. */
export const timeView = (iso: string) => html`<time datetime=${iso}>${relativeTime(iso)}</time>`;

export interface Field {
  id: string;
  label: string;
  /** Parts besides `input`. */
  part?: string;
  value?: string;
  /** Shown under the field, which is then `aria-invalid` and described by it. */
  error?: string;
  /** The control instead of an `<input>` (a `<textarea>`, say), given the input's id and aria attributes. */
  control?: (invalid: string, describedby: string | typeof nothing) => unknown;
  autocomplete?: string;
  maxlength?: number;
  /** Id of a `<datalist>` of suggestions. */
  list?: string;
  input?: (value: string) => void;
}

/** A labelled text field (`name` is its id), with its error underneath. */
export function field({ id, label, part = '', value = '', error, control, autocomplete = 'off', maxlength, list, input }: Field) {
  const invalid = error ? 'true' : 'false';
  const describedby = error ? `${id}-error` : nothing;
  const onInput = (e: Event) => input?.((e.target as HTMLInputElement).value);
  return html`<label for=${id}>${label}</label>
    ${control
      ? control(invalid, describedby)
      : html`<input
          id=${id}
          name=${id}
          part="input ${part}"
          autocomplete=${autocomplete}
          maxlength=${maxlength ?? nothing}
          list=${list ?? nothing}
          .value=${value}
          @input=${onInput}
          aria-invalid=${invalid}
          aria-describedby=${describedby}
        />`}
    ${error ? html`<p id="${id}-error" class="field-error">${error}</p>` : nothing}`;
}

/** A labelled select (`part`) of `options` ([value, label] pairs) with `value` chosen, which tells `change` the new value. */
export const choice = (part: string, label: string, value: string, options: [string, string][], change: (value: string) => void) =>
  html`<label part=${part}
    >${label}
    <select .value=${value} @change=${(e: Event) => change((e.target as HTMLSelectElement).value)}>
      ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
    </select>
  </label>`;

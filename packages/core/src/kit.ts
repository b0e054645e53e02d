import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { ApiError } from './api-client.js';
import { errorView } from './states.js';
import { field } from './views.js';

/**
 * What the files a bundle loads on demand (draft-form.js, the widgets' forms, the open question)
 * take from it, so that they import nothing at run time and one file serves widgets.js and every
 * widget's own bundle, in the widget's language: Lit's `html`, `msg()`, the bundle's classes and
 * shared views. One object for all of them: every bundle holds each of these anyway.
 */
export const kit = {
  html,
  nothing,
  /** Their own styles, added to the widget's with `adoptStyles` when they arrive. */
  css,
  msg,
  ApiError,
  errorView,
  field,
  /** The form of a Report disclosure, a file of its own (see `moderationView` in draft-form.ts). */
  reportForm: () => import('./report-form.js'),
};

export type Kit = typeof kit;

export {
  ApiClient,
  ApiError,
  acceptAnswer,
  askQuestion,
  deleteTip,
  editTip,
  getQuestion,
  getSite,
  giveKudos,
  leaderboard,
  listKudos,
  listExperts,
  listQuestions,
  listTips,
  markHelpful,
  postAnswer,
  requestSession,
  searchPeople,
  shareTip,
  similarQuestions,
  tipTags,
  toggleReaction,
  vote,
  type CallOptions,
  type QuestionListParams,
  type TipListParams,
} from './api-client.js';
export { SessionStore } from './session.js';
export { Task, TaskStatus, initialState, type TaskConfig } from '@lit/task';
export { clientContext, sessionContext } from './context.js';
export type { Draft, DraftController, DraftForms, FormHost, FormKit } from './draft-form.js';
export { deriveTopicFromPath } from './topic.js';
export { relativeTime, initials, plural } from './format.js';
export { activeLocale, supportedLocale } from './localize.js';
export { baseStyles } from './styles.js';
export { describeError, loadingView, errorView, emptyView, renderTask, type TaskViews } from './states.js';
export { avatar, person, timeView, field, choice, type Field } from './views.js';
export { arrive, live, newestFirst, type LiveScope, type LiveListener } from './live.js';
export { subscribe } from './live-stream.js';
export { ReadyhandElement, SessionElement, createSession, defaultApi, readyhand } from './readyhand-element.js';
export { emit } from './events.js';
export { kit, type Kit } from './kit.js';
export { ReadyhandProvider } from './readyhand-provider.component.js';

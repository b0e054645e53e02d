/**
 * Every Readyhand element in one script: what a host page loads with one tag.
 * The provider is defined first, so widgets upgraded after it find its context.
 */
import '@readyhand/core/provider.js';
import '@readyhand/ask-expert';
import '@readyhand/kudos-wall';
import '@readyhand/share-tip';

export { ReadyhandProvider } from '@readyhand/core/provider.js';
export { AskExpert } from '@readyhand/ask-expert';
export { KudosWall } from '@readyhand/kudos-wall';
export { ShareTip } from '@readyhand/share-tip';

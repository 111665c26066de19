/**
 * The page's link: the state written to the URL hash (and kept for the quiz page's way
 * back), at most every 400 ms while playing, always when forced.
 */
import { serializeState, type PageState } from './state.js';
import { keepPlaygroundHash } from './theme.js';

export class UrlWriter {
  /** The hash last written (a `hashchange` to it is the page's own). */
  last = '';
  private lastAt = 0;

  write(state: PageState, force = false): void {
    const now = performance.now();
    if (!force && now - this.lastAt < 400) return;
    this.lastAt = now;
    const hash = serializeState({ ...state, play: false });
    if (hash !== this.last) {
      this.last = hash;
      history.replaceState(null, '', `#${hash}`);
      keepPlaygroundHash(hash);
    }
  }
}

/**
 * The colour scheme and the way back to the playground, shared by both pages through
 * the browser's storage: a scheme chosen on one page holds on the other, and the quiz
 * page's link to the playground returns to what the person last saw there.
 */
export type ThemeChoice = 'auto' | 'light' | 'dark';

const THEME_KEY = 'curvelab.theme';
const PLAYGROUND_KEY = 'curvelab.playground.hash';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage refused (a private window): nothing is shared
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage refused: the choice holds on this page only
  }
}

/** The scheme last chosen on either page ('auto' when none). */
export function storedTheme(): ThemeChoice {
  const value = read(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'auto';
}

/** Applies `theme` to the page (the CSS reads `data-theme`) and keeps it for both pages. */
export function applyTheme(theme: ThemeChoice, keep = true): void {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  if (keep) write(THEME_KEY, theme);
}

/** Remembers the playground's URL hash (its whole state). */
export function keepPlaygroundHash(hash: string): void {
  write(PLAYGROUND_KEY, hash);
}

/** The playground's address with the state the person last saw there. */
export function playgroundHref(base = './index.html'): string {
  const hash = read(PLAYGROUND_KEY);
  return hash ? `${base}#${hash}` : base;
}

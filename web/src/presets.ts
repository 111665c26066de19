/** Teaching presets: each a partial state on top of the defaults (seeds chosen to show the point). */
import type { PageState } from './state.js';

export interface Preset {
  id: string;
  name: string;
  lesson: string;
  state: Partial<PageState>;
}

const testbed = { arms: 10, arm_mean: 0, arm_spread: 1, noise: 1, agent: 'epsilon-greedy' as const };

export const PRESETS: readonly Preset[] = [
  {
    id: 'testbed',
    name: '10-armed testbed: ε 0, 0.01, 0.1',
    lesson: "Sutton and Barto's testbed on one bandit. Greedy (ε 0) stalls on the first good-looking arm; ε 0.1 finds the best arm fast but keeps paying for exploration; ε 0.01 gets there late and ends highest.",
    state: { ...testbed, epsilon: 0.1, compare: [0, 0.01, 0.1], runs: 3, steps: 2000, seed: 6, smoothing: 'ema', weight: 0.98 },
  },
  {
    id: 'crossing',
    name: 'Crossing curves: ε 0.1 vs 0.01',
    lesson: 'ε 0.1 leads for the first few hundred steps, then ε 0.01 overtakes: which is better depends on the horizon. Watch the dashed true values cross.',
    state: { ...testbed, epsilon: 0.1, compare: [0.1, 0.01], runs: 2, steps: 3000, seed: 3, smoothing: 'ema', weight: 0.98 },
  },
  {
    id: 'late-bloomer',
    name: 'Late bloomer',
    lesson: 'With 20 arms and ε 0.01 the agent sits on a mediocre arm for about 1,500 steps, then finds a better one. Stopping it early would have been a mistake.',
    state: { ...testbed, arms: 20, epsilon: 0.01, compare: [], runs: 1, steps: 3000, seed: 40, smoothing: 'moving-average', window: 0 },
  },
  {
    id: 'noisy',
    name: 'Noisy arms',
    lesson: 'Reward noise 5: the raw curves are a blur and learning is slower. Smoothing shows the trend; the true value shows what the noise hides.',
    state: { ...testbed, noise: 5, epsilon: 0.1, compare: [], runs: 3, steps: 2000, seed: 1, smoothing: 'ema', weight: 0.99 },
  },
  {
    id: 'pruner-race',
    name: 'Pruner race: median vs successive halving vs Hyperband',
    lesson:
      'Ten runs on two bandits, each bandit played by ε 0 (greedy: may lock onto a poor arm), ε 0.01 (slow start, best in the end), ε 0.1 (good), ε 0.5 (explores too much) and ε 1 (random: never learns). ' +
      "The best run is run 1's late bloomer, ε 0.01: successive halving drops it at its step-200 rung; median (after a 200-step warm-up) and Hyperband keep it, and Hyperband saves the most. Hover a marker for the reason; compare the table.",
    state: {
      ...testbed,
      epsilon: 0.1,
      compare: [0, 0.01, 0.1, 0.5, 1],
      runs: 10,
      steps: 2000,
      seed: 47,
      smoothing: 'ema',
      weight: 0.98,
      raw: false,
      truth: false,
      baseline: false,
      pruners: [
        { name: 'median', params: { n_warmup_steps: 200 } },
        { name: 'successive_halving', params: { min_resource: 50 } },
        { name: 'hyperband', params: { min_resource: 50 } },
      ],
      pview: 'all',
    },
  },
  {
    id: 'never-learns',
    name: 'Never learns vs random baseline',
    lesson: 'Greedy (ε 0) locks onto its first arm and stays near the random baseline (dotted) for good; ε 0.1 on the same bandit climbs well above it.',
    state: { ...testbed, epsilon: 0, compare: [0, 0.1], runs: 2, steps: 1000, seed: 54, smoothing: 'ema', weight: 0.95, baseline: true },
  },
];

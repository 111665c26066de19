/**
 * Teaching presets. Each is a complete state: the defaults (`state.ts`) with what the
 * lesson sets, applied by `withLesson`, so a lesson looks the same however it is reached.
 * Seeds are chosen to show the point; speeds so that a lesson plays in about 10 seconds.
 */
import type { PageState } from './state.js';

export interface Preset {
  id: string;
  name: string;
  lesson: string;
  state: Partial<PageState>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'first-steps',
    name: 'First steps: four runs learn',
    lesson:
      'Four ε-greedy runs (ε 0.1), each on its own 10-armed bandit. Press Play: each curve starts near its dotted random baseline ' +
      'and climbs as the agent finds a better arm. The dashed line is the true value, what the noise hides.',
    state: {},
  },
  {
    id: 'testbed',
    name: '10-armed testbed: ε 0, 0.01, 0.1',
    lesson:
      "Sutton and Barto's testbed on one bandit. Greedy (ε 0) stalls on the first good-looking arm; ε 0.1 finds the best arm fast " +
      'but keeps paying for exploration; ε 0.01 gets there late and ends highest.',
    state: { compare: [0, 0.01, 0.1], runs: 3, steps: 2000, seed: 6, weight: 0.98, speed: 200 },
  },
  {
    id: 'crossing',
    name: 'Crossing curves: ε 0.1 vs 0.01',
    lesson:
      'ε 0.1 leads for the first few hundred steps, then ε 0.01 overtakes: which is better depends on the horizon. ' +
      'Watch the dashed true values cross.',
    state: { compare: [0.1, 0.01], runs: 2, steps: 3000, seed: 3, weight: 0.98, speed: 300 },
  },
  {
    id: 'late-bloomer',
    name: 'Late bloomer',
    lesson:
      'With 20 arms and ε 0.01 the agent sits on a mediocre arm for about 1,500 steps, then finds a better one. ' +
      'Stopping it early would have been a mistake.',
    state: { arms: 20, epsilon: 0.01, runs: 1, steps: 3000, seed: 40, smoothing: 'moving-average', speed: 300 },
  },
  {
    id: 'noisy',
    name: 'Noisy arms',
    lesson:
      'Reward noise 5: the raw curves are a blur and learning is slower. Smoothing shows the trend; the true value shows what the noise hides.',
    state: { noise: 5, runs: 3, steps: 2000, seed: 1, weight: 0.99, speed: 200 },
  },
  {
    id: 'average',
    name: 'Average of 2000 runs, as in the book',
    lesson:
      'Each curve is the mean reward of 2000 runs on 2000 different bandits, with a shaded 95% interval of the mean: ' +
      'Figure 2.2 of Sutton and Barto. ε 0.1 learns fastest, ε 0.01 is still climbing at step 1000, greedy (ε 0) levels off low.',
    state: { compare: [0, 0.01, 0.1], runs: 3, average: 2000, steps: 1000, seed: 2018, smoothing: 'none', raw: false, truth: false, at: 1000 },
  },
  {
    id: 'pruner-race',
    name: 'Pruner race: median vs successive halving vs Hyperband',
    lesson:
      'Ten runs on two bandits, each bandit played by ε 0 (greedy: may lock onto a poor arm), ε 0.01 (slow start, best in the end), ' +
      'ε 0.1 (good), ε 0.5 (explores too much) and ε 1 (random: never learns). ' +
      "The best run is run 1's late bloomer, ε 0.01: successive halving drops it at its step-200 rung; median (after a 200-step warm-up) " +
      'and Hyperband keep it, and Hyperband saves the most. Hover a marker for the reason; compare the table. Reset and Play to watch the race.',
    state: {
      compare: [0, 0.01, 0.1, 0.5, 1],
      runs: 10,
      steps: 2000,
      seed: 47,
      weight: 0.98,
      raw: false,
      truth: false,
      baseline: false,
      speed: 200,
      at: 2000,
      pruners: [
        { name: 'median', params: { n_warmup_steps: 200 } },
        { name: 'successive_halving', params: { min_resource: 50 } },
        { name: 'hyperband', params: { min_resource: 50 } },
      ],
    },
  },
  {
    id: 'never-learns',
    name: 'Never learns vs random baseline',
    lesson:
      'Greedy (ε 0) locks onto its first arm and stays near the random baseline (dotted) for good; ε 0.1 on the same bandit climbs well above it.',
    state: { epsilon: 0, compare: [0, 0.1], runs: 2, steps: 1000, seed: 54 },
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

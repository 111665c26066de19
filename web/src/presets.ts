/**
 * Teaching presets. Each is a complete state: the defaults (`state.ts`) with what the
 * lesson sets, applied by `withLesson`, so a lesson looks the same however it is reached.
 * Seeds are chosen to show the point; speeds so that a lesson plays in about 10 seconds.
 */
import type { AgentVariant, PageState } from './state.js';

/** Curves that differ only in epsilon. */
const epsilons = (...values: number[]): AgentVariant[] => values.map((epsilon) => ({ epsilon }));

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
      'Four ε-greedy runs (ε 0.1), each on its own 10-armed bandit. Press Play: each curve starts near its ' +
      'dotted random baseline ' +
      'and climbs as the agent finds a better arm. The dashed line is the true value, what the noise hides.',
    state: {},
  },
  {
    id: 'testbed',
    name: '10-armed testbed: ε 0, 0.01, 0.1',
    lesson:
      "Sutton and Barto's testbed on one bandit. Greedy (ε 0) stalls on the first good-looking arm; ε 0.1 " +
      'finds the best arm fast ' +
      'but keeps paying for exploration; ε 0.01 gets there late and ends highest.',
    state: { compare: epsilons(0, 0.01, 0.1), runs: 3, steps: 2000, seed: 6, weight: 0.98, speed: 200 },
  },
  {
    id: 'crossing',
    name: 'Crossing curves: ε 0.1 vs 0.01',
    lesson:
      'ε 0.1 leads for the first few hundred steps, then ε 0.01 overtakes: which is better depends on the horizon. ' +
      'Watch the dashed true values cross.',
    state: { compare: epsilons(0.1, 0.01), runs: 2, steps: 3000, seed: 3, weight: 0.98, speed: 300 },
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
      'Reward noise 5: the raw curves are a blur and learning is slower. Smoothing shows the trend; the ' +
      'true value shows what the noise hides.',
    state: { noise: 5, runs: 3, steps: 2000, seed: 1, weight: 0.99, speed: 200 },
  },
  {
    id: 'average',
    name: 'Average of 2000 runs, as in the book',
    lesson:
      'Each curve is the mean reward of 2000 runs on 2000 different bandits, with a shaded 95% interval of the mean: ' +
      'Figure 2.2 of Sutton and Barto. ε 0.1 learns fastest, ε 0.01 is still climbing at step 1000, greedy ' +
      '(ε 0) levels off low.',
    state: {
      compare: epsilons(0, 0.01, 0.1),
      runs: 3,
      average: 2000,
      steps: 1000,
      seed: 2018,
      smoothing: 'none',
      raw: false,
      truth: false,
      at: 1000,
    },
  },
  {
    id: 'pruner-race',
    name: 'Pruner race: median vs successive halving vs Hyperband',
    lesson:
      'Ten runs on two bandits, each bandit played by ε 0 (greedy: may lock onto a poor arm), ε 0.01 (slow ' +
      'start, best in the end), ' +
      'ε 0.1 (good), ε 0.5 (explores too much) and ε 1 (random: never learns). ' +
      "The best run is run 1's late bloomer, ε 0.01: successive halving drops it at its step-200 rung; " +
      'median (after a 200-step warm-up) ' +
      'and Hyperband keep it, and Hyperband saves the most. Hover a marker for the reason; compare the ' +
      'table. Reset and Play to watch the race.',
    state: {
      compare: epsilons(0, 0.01, 0.1, 0.5, 1),
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
    id: 'optimistic',
    name: 'Optimistic start (Fig. 2.3)',
    lesson:
      'Figure 2.3 of Sutton and Barto, as the mean reward of 2000 runs: a greedy agent with optimistic ' +
      'initial values (Q1 = 5, α = 0.1) ' +
      'against a realistic ε-greedy one (Q1 = 0, ε = 0.1, α = 0.1). Every estimate starts far too high, so ' +
      'each reward disappoints and the ' +
      'greedy agent tries every arm in steps 1-10: it earns less early. At step 11 it pulls the arm that ' +
      'paid most once: a spike, then a dip ' +
      'as that estimate falls too. Later it explores no more and ends above ε-greedy. (The book plots the ' +
      'share of optimal actions; the same shape shows in the reward.)',
    state: {
      compare: [
        { epsilon: 0, initial_value: 5, step_size: 0.1 },
        { epsilon: 0.1, initial_value: 0, step_size: 0.1 },
      ],
      runs: 2,
      average: 2000,
      steps: 1000,
      seed: 1,
      smoothing: 'none',
      raw: false,
      truth: false,
      at: 1000,
    },
  },
  {
    id: 'ucb',
    name: 'UCB against ε-greedy (Fig. 2.4)',
    lesson:
      'Figure 2.4: UCB (c = 2) against ε-greedy (ε = 0.1), the mean reward of 2000 runs. An untried arm ' +
      'counts as best, so UCB pulls each of ' +
      'the 10 arms once in steps 1-10 and earns about the average arm, near 0. At step 11 it picks the arm ' +
      'that paid most: the spike. ' +
      'The bonus c·√(ln t / N(a)) then sends it back to arms it knows less about (the dip), and from there ' +
      'on it leads: it explores where it is unsure, ' +
      'not at random.',
    state: {
      compare: [
        { agent: 'ucb', ucb_c: 2 },
        { agent: 'epsilon-greedy', epsilon: 0.1 },
      ],
      runs: 2,
      average: 2000,
      steps: 1000,
      seed: 1,
      smoothing: 'none',
      raw: false,
      truth: false,
      at: 1000,
    },
  },
  {
    id: 'gradient-baseline',
    name: 'A baseline for the gradient bandit (Fig. 2.5)',
    lesson:
      'Figure 2.5: the gradient bandit on arms whose true values are near 4 (arm mean 4), with α = 0.1 and ' +
      '0.4, with and without the ' +
      'average-reward baseline; the mean reward of 2000 runs. With the baseline, a reward is good or bad ' +
      'relative to the average so far, ' +
      'and both step sizes climb towards the best arm. Without it every reward (about 4) looks good, so the ' +
      'arm just pulled is pushed up ' +
      'whatever it paid: the curves stay far lower. (The book plots the share of optimal actions.)',
    state: {
      arm_mean: 4,
      agent: 'gradient',
      compare: [
        { step_size: 0.1, gradient_baseline: true },
        { step_size: 0.4, gradient_baseline: true },
        { step_size: 0.1, gradient_baseline: false },
        { step_size: 0.4, gradient_baseline: false },
      ],
      runs: 4,
      average: 2000,
      steps: 1000,
      seed: 1,
      smoothing: 'none',
      raw: false,
      truth: false,
      at: 1000,
    },
  },
  {
    id: 'drift',
    name: 'When the world drifts (Ex. 2.5)',
    lesson:
      'Exercise 2.5: every arm starts equal (arm spread 0) and each true value takes its own Normal(0, ' +
      '0.01) step every step. ' +
      'ε-greedy (ε = 0.1) with sample averages against a constant step size α = 0.1, mean reward of 500 ' +
      'runs over 10,000 steps (a moving average of 100 steps). ' +
      'Sample averages weigh a reward from step 10 as much as one from step 9,000, so they follow the drift ' +
      'ever more slowly and level off; ' +
      'the constant step size forgets old rewards and keeps climbing: it ends well above.',
    state: {
      arm_spread: 0,
      walk: 0.01,
      compare: [
        { epsilon: 0.1, step_size: null },
        { epsilon: 0.1, step_size: 0.1 },
      ],
      runs: 2,
      average: 500,
      steps: 10000,
      seed: 1,
      smoothing: 'moving-average',
      window: 100,
      raw: false,
      truth: false,
      at: 10000,
    },
  },
  {
    id: 'parameter-study',
    name: 'The parameter study (Fig. 2.6)',
    lesson:
      "Figure 2.6: each method's average reward over its first 1,000 steps (2000 runs per setting) against " +
      'its parameter, on a log2 axis: ' +
      'ε for ε-greedy, α for the gradient bandit, c for UCB and Q0 for optimistic greedy. Each curve is an ' +
      'upside-down U: too little and too much ' +
      'exploration both cost; UCB is best here. The sweep is a hyper-parameter study: the median pruner (2 ' +
      'settings before it judges) cuts ' +
      'poor settings early; the table says how much compute it saved and whether it still found each ' +
      "method's best parameter. " +
      'Choose other pruners below to compare. The chart above shows one run of each method at its best setting.',
    state: {
      sweep: 2000,
      seed: 1,
      compare: [
        { agent: 'epsilon-greedy', epsilon: 0.0625 },
        { agent: 'gradient', step_size: 0.25, gradient_baseline: true },
        { agent: 'ucb', ucb_c: 0.5 },
        { agent: 'epsilon-greedy', epsilon: 0, initial_value: 1, step_size: 0.1 },
      ],
      runs: 4,
      steps: 1000,
      at: 1000,
      pruners: [{ name: 'median', params: { n_startup_trials: 2 } }],
    },
  },
  {
    id: 'never-learns',
    name: 'Never learns vs random baseline',
    lesson:
      'Greedy (ε 0) locks onto its first arm and stays near the random baseline (dotted) for good; ε 0.1 on ' +
      'the same bandit climbs well above it.',
    state: { epsilon: 0, compare: epsilons(0, 0.1), runs: 2, steps: 1000, seed: 54 },
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

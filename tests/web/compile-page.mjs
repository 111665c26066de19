// Compiles the page's DOM-free modules (state, presets, the core facade, the simulation, the player) with tsc into
// build-web-test/ so node's test runner can import them, the wasm glue linked beside them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './wasm-node.mjs';

/** The page's DOM-free modules, under web/src. */
const PAGE_FILES = [
  'state.ts',
  'core.ts',
  'simulation.ts',
  'pruners.ts',
  'presets.ts',
  'averages.ts',
  'player.ts',
  'generated-module.d.ts',
  'curvelab-wasm.d.ts',
];

/**
 * Compiles `files` (under web/src) into build-web-test/`name` (by default the process id: test files run in
 * parallel) and returns that folder.
 */
export function compilePage(files = PAGE_FILES, name = String(process.pid)) {
  const out = path.join(root, 'build-web-test', name);
  process.on('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  const tsc = path.join(root, 'node_modules/.bin/tsc');
  execFileSync(
    tsc,
    [
      '--ignoreConfig',
      '--outDir',
      out,
      '--rootDir',
      path.join(root, 'web'),
      '--target',
      'es2022',
      '--module',
      'esnext',
      '--moduleResolution',
      'bundler',
      '--strict',
      '--skipLibCheck',
      '--types',
      'vite/client',
      ...files.map((f) => path.join(root, 'web/src', f)),
    ],
    { stdio: 'inherit', cwd: root },
  );
  const link = path.join(out, 'generated');
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(path.join(root, 'web/generated'), link);
  return out;
}

// Fails a test that leaves a charger socket, WebSocket or app server open (house style: a guard
// afterEach). Importing this module installs root-level hooks once for the whole run.
import { expect } from 'chai';

interface Tracked {
  name: string;
  isOpen(): boolean;
  forceClose(): Promise<void> | void;
}

let inTest = false;
const perTest: Tracked[] = [];
const perFile: Tracked[] = [];

/**
 * Registers something that must be closed: by the end of the test that opened it, or by the end of
 * the run when it was opened in a `before` hook (an app shared by one file).
 */
export function trackOpen(resource: Tracked): void {
  (inTest ? perTest : perFile).push(resource);
}

async function leftOpen(list: Tracked[]): Promise<string[]> {
  const open = list.splice(0).filter((r) => r.isOpen());
  // Close what leaked so that one forgotten socket does not fail every later test too.
  for (const r of open) await r.forceClose();
  return open.map((r) => r.name);
}

beforeEach(() => {
  inTest = true;
});

afterEach(async function () {
  inTest = false;
  const open = await leftOpen(perTest);
  // A test that failed (an assertion, a timeout) is reported already, and what it left open is its consequence:
  // closed above without failing this root hook, which would abort every later test of the run.
  if (this.currentTest?.state === 'failed') return;
  expect(open, 'left open by this test').to.deep.equal([]);
});

after(async () => {
  expect(await leftOpen(perFile), 'left open by a before hook').to.deep.equal([]);
});

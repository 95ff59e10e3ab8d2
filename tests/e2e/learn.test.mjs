// Learning on the page (issue 12): the guided tour and the exercises, with
// real pointer, keyboard, slider and URL input.
//
// The tour: every step opens from its link, and every sentence it says about
// its diagram is re-checked here, in JavaScript (facts.mjs), on the page's own
// trace; each step notices its "try this" when a person does it; Next, Back,
// Esc, the step list and the header link move through it; the URL names the
// step and the browser remembers how far it got; a step's edits reach My
// scenarios only once the tour is left with them.
//
// Exercises: an answer right and an answer wrong (checked against the
// independent Figure 5 replay of model.mjs), what stays hidden until
// answered, the locked execution, the class link that gives another browser
// the same exercise, the kept score, hostile links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp, waitForApp, screenshot } from './harness.mjs';
import { closeTab } from './keep-helpers.mjs';
import { checkFact, eventOf } from './facts.mjs';
import { replay } from './model.mjs';
import {
  drag,
  getScenario,
  getTrace,
  lastNotice,
  pixel,
  plain,
  pointOfEvent,
  pointOnLane,
  retype,
  reveal,
  until,
} from './ui.mjs';

const app = useApp();

const lesson = (page) => page.evaluate(() => window.hlcviz.lesson());
const search = (page) => page.evaluate(() => location.search);
const records = (page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hlcviz.scenario.')).length);

async function open(page, query) {
  // The page must be up first: leaving it mid-load aborts its wasm download.
  await waitForApp(page);
  await page.goto(new URL(query, page.url()).href);
  await waitForApp(page);
}

/** Whether some pixel on a ring around (x, y) is the highlighter's yellow. */
async function highlighted(page, x, y) {
  for (let k = 0; k < 12; k++) {
    const a = (k / 12) * 2 * Math.PI;
    const [r, g, b] = await pixel(page, x + 10 * Math.cos(a), y + 10 * Math.sin(a));
    if (r > 220 && g > 170 && b < 140) return true;
  }
  return false;
}

/** What a person does for each step's "try this", by step id. */
const TRIES = {
  // Drag B's skew to 0 or below: the slider's Home key takes it to the left end.
  clocks: async (page) => {
    const slider = page.locator('.skew-slider[data-node="1"]');
    await reveal(page, slider);
    await slider.focus();
    await page.keyboard.press('Home');
  },
  // A's skew down to +60 or less: drag A's slider thumb well left.
  'pt-back': async (page) => {
    const slider = page.locator('.skew-slider[data-node="0"]');
    await reveal(page, slider);
    const box = await slider.boundingBox();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
  },
  // Send a message: drag from A's line to B's.
  lamport: async (page) => {
    const trace = await getTrace(page);
    const last = Math.max(...trace.events.map((e) => e.real_ms));
    const from = await pointOnLane(page, 0, Math.round(last * 0.5));
    const to = await pointOnLane(page, 1, Math.round(last * 0.7));
    await drag(page, from, to);
  },
  naive: (page) => page.selectOption('#clock-view', 'hlc'),
  // Click the receive where the local l and the message's l_m tie.
  rule: async (page) => {
    const tie = (await getTrace(page)).events.find((e) => e.rule === 'recv-tie');
    assert.ok(tie, 'the step has a tie to find');
    const p = await pointOfEvent(page, tie.event.kind, tie.event.index);
    await page.mouse.click(p.x, p.y);
  },
  // B's skew to +600 or more: type it, as the box beside the slider allows.
  bounds: (page) => retype(page, page.locator('.skew-value[data-node="1"]'), '650').then(() => page.keyboard.press('Enter')),
  // Click the time axis somewhere other than 500 ms.
  snapshot: async (page) => {
    const box = await page.locator('#diagram').boundingBox();
    const x = box.x + (await page.evaluate(() => window.hlcviz.xOfTime(300)));
    await page.mouse.click(x, box.y + 15);
  },
  // Raise the max offset past what m0 needs.
  'max-offset': (page) => retype(page, page.locator('#max-offset'), '600').then(() => page.keyboard.press('Enter')),
  counter: (page) => retype(page, page.locator('#counter-bits'), '16').then(() => page.keyboard.press('Enter')),
  'not-causality': (page) => page.selectOption('#clock-view', 'vector'),
};

test('every tour step opens from its link, says only what its diagram shows, and marks what it talks about', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await open(page, '?tour=1');
    const steps = (await lesson(page)).of;
    assert.ok(steps >= 8 && steps <= 10, `${steps} steps`);
    let claims = 0;
    for (let n = 1; n <= steps; n++) {
      await open(page, `?tour=${n}`);
      const l = await lesson(page);
      assert.equal(l.kind, 'tour');
      assert.equal(l.step, n);
      assert.equal(l.done, false, `step ${n} starts untried`);
      assert.equal(await search(page), `?tour=${n}`);
      const [trace, scenario] = [await getTrace(page), await getScenario(page)];
      const text = plain(await page.locator('#lesson-text').textContent());
      for (const claim of l.claims) {
        assert.ok(text.includes(claim.text), `step ${n} shows "${claim.text}"`);
        assert.equal(checkFact(claim.fact, trace, scenario), null, `step ${n}: "${claim.text}"`);
        claims++;
      }
      assert.ok(l.claims.length >= 1, `step ${n} says something checkable`);
      const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((s) => s.trim());
      assert.ok(sentences.length >= 2 && sentences.length <= 4, `step ${n}: ${sentences.length} sentences`);
      assert.ok(
        (await page.locator('#lesson-try-text').textContent()).startsWith('Try it: '),
        `step ${n} gives one thing to try`,
      );
      if (l.marks.length > 0) {
        const e = trace.events[l.marks[0]];
        const p = await page.evaluate(([k, i]) => window.hlcviz.eventPosition(k, i), [e.event.kind, e.event.index]);
        assert.ok(await highlighted(page, p.x, p.y), `step ${n}: its first marked event is highlighted`);
      }
    }
    t.diagnostic(`${steps} steps, ${claims} claims, each re-checked on the page's trace`);
    assert.deepEqual(errors, []);
  });
});

test('each step notices when its "try this" is done', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await open(page, '?tour=1');
    const steps = (await lesson(page)).of;
    for (let n = 1; n <= steps; n++) {
      await open(page, `?tour=${n}`);
      const { id } = await lesson(page);
      assert.ok(TRIES[id], `the test knows how to try step ${n} (${id})`);
      assert.equal(await page.locator('#lesson-try').getAttribute('class'), null);
      await TRIES[id](page);
      await until(async () => (await lesson(page)).done, { what: `step ${n} (${id}) noticing its try` });
      assert.match(await page.locator('#lesson-try').getAttribute('class'), /done/);
      assert.match(await page.locator('#lesson-try-text').textContent(), /^Done: /);
      assert.equal((await lesson(page)).step, n, 'the tour stays on the step');
    }
    assert.deepEqual(errors, []);
  });
});

test('Next, Back and Esc move through the tour; the URL and the browser remember the step', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await open(page, '?tour');
    assert.equal((await lesson(page)).step, 1, 'a first visit starts at step 1');
    assert.ok(await page.locator('#lesson-back').isDisabled());
    await page.click('#lesson-next');
    await until(async () => (await lesson(page))?.step === 2, { what: 'step 2' });
    assert.equal(await search(page), '?tour=2');
    await page.click('#lesson-next');
    await until(async () => (await lesson(page))?.step === 3, { what: 'step 3' });
    await page.click('#lesson-back');
    await until(async () => (await lesson(page))?.step === 2, { what: 'back to step 2' });
    const stepScenario = await getScenario(page);

    // A step's own edit stays out of My scenarios while the tour is open...
    const before = await records(page);
    await page.locator('#diagram').focus();
    const p = await pointOnLane(page, 0, 60);
    await page.mouse.dblclick(p.x, p.y);
    await until(async () => (await getScenario(page)).events.length > stepScenario.events.length, { what: 'the edit' });
    await until(async () => (await lesson(page)).edited, { what: 'the card noticing the edit' });
    assert.ok(await page.locator('#lesson-changed').isVisible(), 'the card says the text describes the step as it opened');
    await page.waitForTimeout(600);
    assert.equal(await records(page), before, 'no record while the tour is open');

    // ...Esc leaves the tour, keeps the scenario as edited, and keeps it.
    await page.locator('#diagram').focus();
    await page.keyboard.press('Escape');
    await until(async () => (await lesson(page)) === null, { what: 'leaving' });
    assert.ok(await page.locator('#lesson').isHidden());
    assert.equal(await search(page), '', 'the URL no longer names a step');
    assert.equal((await getScenario(page)).events.length, stepScenario.events.length + 1);
    await until(async () => (await records(page)) === before + 1, { what: 'the edited step saved on leaving' });

    // The browser remembers step 2: ?tour resumes there, the Learn tab says so.
    await open(page, '?tour');
    assert.equal((await lesson(page)).step, 2);
    await page.click('#lesson-leave');
    await until(async () => (await lesson(page)) === null, { what: 'Leave' });
    await reveal(page, '#tour-start');
    assert.equal(await page.locator('#tour-start').textContent(), 'Resume the tour at step 2');
    await page.click('#tour-steps button[data-step="5"]');
    await until(async () => (await lesson(page))?.step === 5, { what: 'the step list opening step 5' });

    // The last step's Next finishes the tour and leaves its scenario open.
    const last = (await lesson(page)).of;
    await open(page, `?tour=${last}`);
    assert.equal(await page.locator('#lesson-next').textContent(), 'Finish ✓');
    await page.click('#lesson-next');
    await until(async () => (await lesson(page)) === null, { what: 'finishing' });
    assert.match(plain(await lastNotice(page)), /That is the tour/);

    // The header's link starts the tour without a reload.
    await page.click('#tour-link');
    await until(async () => (await lesson(page))?.kind === 'tour', { what: 'the header link' });
    assert.deepEqual(errors, []);
  });
});

test('closing the tab on an edited tour step keeps the edit in My scenarios', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await open(page, '?tour=3');
    const before = await records(page);
    const title = (await lesson(page)).title;
    const p = await pointOnLane(page, 1, 40);
    await page.mouse.dblclick(p.x, p.y);
    await until(async () => (await lesson(page)).edited, { what: 'the edit' });
    const edited = await getScenario(page);
    const other = await page.context().newPage();
    await closeTab(page);
    await other.goto(new URL('www/style.css', app.url).href);
    const kept = await other.evaluate(() =>
      Object.entries(localStorage)
        .filter(([k]) => k.startsWith('hlcviz.scenario.'))
        .map(([, v]) => JSON.parse(v)),
    );
    assert.equal(kept.length, before + 1, 'one record for the edited step');
    assert.ok(kept.some((r) => r.name === `Tour 3: ${title}`), JSON.stringify(kept.map((r) => r.name)));
    assert.ok(edited.events.length > 0);
    assert.deepEqual(errors, []);
  });
});

test('a bad tour or exercise link says why and opens nothing it cannot', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await open(page, '?tour=99');
    assert.equal((await lesson(page)).step, 1);
    assert.match(plain(await lastNotice(page)), /The tour has no step 99: its steps are 1 to \d+\./);
    await open(page, '?tour=%3Cscript%3Ealert(1)%3C/script%3E');
    assert.equal((await lesson(page)).step, 1);
    assert.ok(!(await page.locator('#notice-text').innerHTML()).includes('<script'), 'text only');
    for (const [code, why] of [
      ['extreme-4', /'extreme' is not a level/],
      ['medium-99999999999999999999999', /too big|seed/i],
      ['medium', /seed/i],
      ['x'.repeat(5000), /not a level|seed/i],
    ]) {
      await open(page, `?exercise=${code}`);
      assert.equal(await lesson(page), null, code.slice(0, 20));
      const notice = plain(await lastNotice(page));
      assert.match(notice, /This exercise link could not be opened/);
      assert.match(notice, why);
      assert.ok(notice.length < 300, 'a hostile code is not echoed whole');
    }
    assert.deepEqual(errors, []);
  });
});

/** The right (l, c) of trace event `index`, from the independent replay. */
function modelAnswer(scenario, trace, index) {
  const e = trace.events[index];
  const ref = `${e.event.kind}:${e.event.index}`;
  const m = replay(scenario).get(ref);
  return { l: m.l, c: m.c };
}

test('an exercise: hidden labels, a right answer, a wrong one explained, a locked execution, the score', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await open(page, '?exercise=medium-42');
    let l = await lesson(page);
    assert.equal(l.kind, 'exercise');
    assert.equal(l.code, 'medium-42');
    assert.equal(l.questions.length, 3);
    const [scenario, trace] = [await getScenario(page), await getTrace(page)];
    const q0 = l.questions[0];
    assert.ok(l.hidden.includes(q0.event), 'the question is hidden');
    // The hidden set is the questions' causal future, from the vector clocks.
    for (const [i, e] of trace.events.entries()) {
      const after = l.questions.some((q) => {
        const f = trace.events[q.event];
        return i === q.event || (f.vector.every((v, k) => v <= e.vector[k]) && f.vector.some((v, k) => v < e.vector[k]));
      });
      assert.equal(l.hidden.includes(i), after, `event ${i} hidden iff after a question`);
    }
    // Hovering the question's dot shows no clock value.
    const e0 = trace.events[q0.event];
    const p = await pointOfEvent(page, e0.event.kind, e0.event.index);
    await page.mouse.move(p.x, p.y);
    await until(() => page.locator('#tooltip').isVisible(), { what: 'the tooltip' });
    const tip = await page.locator('#tooltip').textContent();
    assert.ok(!tip.includes(`(${e0.hlc.l}, ${e0.hlc.c})`), `the tooltip gives nothing away: ${tip}`);
    assert.match(tip, /hidden until you answer/);
    // The prompt gives the event's pt.
    assert.match(await page.locator('#lesson-text').textContent(), new RegExp(`pt = ${e0.pt} ms`));

    // The execution is locked: a drag from line to line sends nothing, T opens no table.
    const messages = scenario.messages.length;
    await drag(page, await pointOnLane(page, 0, 250), await pointOnLane(page, 1, 300));
    await page.keyboard.press('t');
    assert.equal((await getScenario(page)).messages.length, messages);
    assert.ok(await page.locator('#table-view').isHidden());

    // Question 1 (a timestamp), answered right from the Figure 5 replay, by keyboard.
    assert.equal(q0.ask, 'timestamp');
    const right = modelAnswer(scenario, trace, q0.event);
    await page.locator('#answer-l').fill('');
    await page.locator('#answer-l').type(String(right.l));
    await page.locator('#answer-c').type(String(right.c));
    await page.keyboard.press('Enter');
    await until(async () => (await lesson(page)).answered === 1, { what: 'the first answer' });
    l = await lesson(page);
    assert.equal(l.verdict.right, true);
    assert.match(await page.locator('#lesson-verdict').textContent(), /^Right\./);
    assert.ok(!l.hidden.includes(q0.event), 'an answered question shows its label');
    await page.click('#lesson-next');

    // Question 2 (a branch), answered wrong with a click: the explanation is the tooltip's.
    l = await lesson(page);
    const q1 = l.questions[1];
    assert.equal(q1.ask, 'rule');
    const rightRule = trace.events[q1.event].rule;
    const choices = await page.locator('#answer-rules button').evaluateAll((bs) => bs.map((b) => b.dataset.rule));
    assert.ok(choices.includes(rightRule) && choices.length >= 2, `choices ${choices}`);
    await page.click(`#answer-rules button[data-rule="${choices.find((c) => c !== rightRule)}"]`);
    await until(async () => (await lesson(page)).answered === 2, { what: 'the second answer' });
    const verdict = await page.locator('#lesson-verdict').textContent();
    assert.match(verdict, /^Not quite\./);
    assert.ok(verdict.includes(trace.events[q1.event].explanation), `"${verdict}" explains as the tooltip does`);
    assert.equal(await page.locator('#lesson-verdict').getAttribute('class'), 'wrong');
    assert.match(await page.locator('#lesson-score').textContent(), /^1 of 2 right here · 1 of 2 in this browser/);
    await screenshot(page, 'learn-exercise-verdict-1280x800');

    // The score is kept in this browser; leaving unlocks the execution.
    assert.equal(await page.evaluate(() => localStorage.getItem('hlcviz.score')), '1,1');
    await page.click('#lesson-leave');
    await until(async () => (await lesson(page)) === null, { what: 'leaving' });
    await drag(page, await pointOnLane(page, 0, 250), await pointOnLane(page, 1, 300));
    await until(async () => (await getScenario(page)).messages.length === messages + 1, { what: 'an edit after leaving' });
    assert.deepEqual(errors, []);
  });
});

test('a class link gives another browser the same exercise', async (t) => {
  let link;
  let first;
  await app.withPage(t, async (page, errors) => {
    await open(page, '?exercise=hard-7');
    await page.click('#lesson-class-link');
    await until(async () => (await page.inputValue('#share-link')).includes('exercise='), { what: 'the class link' });
    link = await page.inputValue('#share-link');
    assert.match(link, /\?exercise=hard-7$/);
    first = { scenario: await getScenario(page), questions: (await lesson(page)).questions };
    assert.deepEqual(errors, []);
  });
  // A fresh context: another student's browser, nothing stored.
  await app.withPage(t, async (page, errors) => {
    await open(page, link);
    const l = await lesson(page);
    assert.equal(l.code, 'hard-7');
    assert.deepEqual(await getScenario(page), first.scenario);
    assert.deepEqual(l.questions, first.questions);
    assert.deepEqual(errors, []);
  });
});

test('the Learn tab starts an exercise at each level', async (t) => {
  await app.withPage(t, async (page, errors) => {
    for (const level of ['easy', 'medium', 'hard']) {
      await reveal(page, `#pane-learn button[data-level="${level}"]`);
      await page.click(`#pane-learn button[data-level="${level}"]`);
      await until(async () => (await lesson(page))?.code?.startsWith(`${level}-`), { what: level });
      assert.match(await search(page), new RegExp(`^\\?exercise=${level}-\\d+$`));
      const scenario = await getScenario(page);
      if (level === 'easy') assert.ok(scenario.nodes.every((n) => (n.skew_ms ?? 0) === 0), 'easy: no skew');
      if (level === 'hard') {
        assert.ok(scenario.nodes.some((n) => (n.drift_ppm ?? 0) !== 0), 'hard: drift');
        assert.ok(scenario.nodes.some((n) => (n.steps ?? []).length > 0), 'hard: a clock step');
        assert.ok(scenario.settings?.max_offset_ms != null, 'hard: a max offset');
      }
      await page.keyboard.press('Escape');
      await until(async () => (await lesson(page)) === null, { what: 'Esc' });
    }
    assert.deepEqual(errors, []);
  });
});

for (const [w, h, name] of [
  [1280, 800, '1280x800'],
  [1920, 1080, '1920x1080'],
  [390, 844, 'phone'],
]) {
  test(`screenshots at ${name}: a tour step and an exercise`, async (t) => {
    await app.withPage(t, async (page, errors) => {
      await page.setViewportSize({ width: w, height: h });
      await open(page, '?tour=2');
      const card = await page.locator('#lesson').boundingBox();
      const stage = await page.locator('#stage').boundingBox();
      assert.ok(card.y + card.height <= stage.y + 1, 'the card sits above the diagram, never over it');
      assert.ok(stage.height >= 240, `the diagram keeps room: ${stage.height}px`);
      await screenshot(page, `learn-tour-${name}`);
      await open(page, '?exercise=medium-42');
      await screenshot(page, `learn-exercise-${name}`);
      assert.deepEqual(errors, []);
    });
  });
}

test('the trace event a claim names exists (facts.mjs itself)', () => {
  const trace = { events: [{ event: { kind: 'local', index: 0 }, pt: 5 }] };
  assert.equal(checkFact({ kind: 'pt', event: { kind: 'local', index: 0 }, pt: 5 }, trace), null);
  assert.notEqual(checkFact({ kind: 'pt', event: { kind: 'local', index: 0 }, pt: 6 }, trace), null);
  assert.throws(() => eventOf(trace, { kind: 'send', index: 0 }));
  assert.throws(() => checkFact({ kind: 'no_such_fact' }, trace));
});

// An independent reference for the browser tests: the Hybrid Logical Clock
// rules of Figure 5 of Kulkarni et al., "Logical Physical Clocks and Consistent
// Snapshots in Globally Distributed Databases" (2014), replayed over a scenario
// in plain JavaScript. Nothing here calls the page, so a test comparing the
// page's trace with replay() checks the page against the paper, not against
// itself.
//
// Replay order: real time, ties by node index. Each node's clock starts below
// every physical time, so its first event takes l = pt, c = 0.
// pt = real + skew_ms (the tests only use nodes without drift or steps; replay
// refuses others rather than guess).
//
//   send / local:  l' = l; l = max(l', pt); c = (l == l') ? c + 1 : 0
//   receive (l_m, c_m):
//                  l' = l; l = max(l', l_m, pt)
//                  c = l == l' == l_m ? max(c, c_m) + 1
//                    : l == l'        ? c + 1
//                    : l == l_m       ? c_m + 1
//                    :                  0

/** Every event of a scenario: {ref: 'local:0', kind, index, node, real}. */
export function scenarioEvents(scenario) {
  const out = [];
  (scenario.events || []).forEach((e, i) =>
    out.push({ ref: `local:${i}`, kind: 'local', index: i, node: e.node, real: e.at_ms }),
  );
  (scenario.messages || []).forEach((m, i) => {
    out.push({ ref: `send:${i}`, kind: 'send', index: i, node: m.from, real: m.sent_at_ms });
    out.push({ ref: `recv:${i}`, kind: 'recv', index: i, node: m.to, real: m.received_at_ms });
  });
  return out;
}

/**
 * Replays `scenario` with the Figure 5 rules. Returns a Map from 'kind:index'
 * (e.g. 'recv:1') to {node, real, pt, l, c}, plus `.order`, the refs in replay
 * order.
 */
export function replay(scenario) {
  for (const n of scenario.nodes) {
    if ((n.drift_ppm ?? 0) !== 0 || (n.steps ?? []).length > 0) {
      throw new Error('model.replay: only nodes without drift or steps are modelled');
    }
  }
  const events = scenarioEvents(scenario).sort((a, b) => a.real - b.real || a.node - b.node);
  const clocks = scenario.nodes.map(() => null); // null: below every pt
  const result = new Map();
  result.order = [];
  for (const e of events) {
    const pt = e.real + (scenario.nodes[e.node].skew_ms ?? 0);
    const prev = clocks[e.node];
    let l;
    let c;
    if (e.kind === 'recv') {
      const m = result.get(`send:${e.index}`);
      if (!m) throw new Error(`model.replay: receive ${e.index} replayed before its send`);
      l = Math.max(prev ? prev.l : -Infinity, m.l, pt);
      if (prev && l === prev.l && l === m.l) c = Math.max(prev.c, m.c) + 1;
      else if (prev && l === prev.l) c = prev.c + 1;
      else if (l === m.l) c = m.c + 1;
      else c = 0;
    } else {
      l = Math.max(prev ? prev.l : -Infinity, pt);
      c = prev && l === prev.l ? prev.c + 1 : 0;
    }
    clocks[e.node] = { l, c };
    result.set(e.ref, { node: e.node, real: e.real, pt, l, c });
    result.order.push(e.ref);
  }
  return result;
}

/** 'kind:index' of a trace event of the page (`hlcviz-trace/1`). */
export const refOf = (traceEvent) => `${traceEvent.event.kind}:${traceEvent.event.index}`;

/** The page's trace as a Map 'kind:index' -> {node, real, pt, l, c}. */
export function pageClocks(trace) {
  const out = new Map();
  for (const e of trace.events) {
    out.set(refOf(e), { node: e.node, real: e.real_ms, pt: e.pt, l: e.hlc.l, c: e.hlc.c });
  }
  return out;
}

/** HLC timestamps as '(l, c)', the way the page prints them. */
export const label = ({ l, c }) => `(${l}, ${c})`;

const lte = (a, b) => a.l < b.l || (a.l === b.l && a.c <= b.c);

/**
 * A cut: for every node, the events whose `inside(e)` holds; returns the
 * message indices received inside the cut but sent outside it.
 */
function crossing(scenario, clocks, inside) {
  const crossed = [];
  (scenario.messages || []).forEach((_, i) => {
    if (inside(clocks.get(`recv:${i}`)) && !inside(clocks.get(`send:${i}`))) crossed.push(i);
  });
  return crossed;
}

/** Messages crossing the HLC cut at theta = {l, c} backwards (always none, by the paper). */
export const hlcCutCrossing = (scenario, theta) =>
  crossing(scenario, replay(scenario), (e) => lte(e, theta));

/** Messages crossing backwards the cut where every node's own clock reads t ms. */
export const physicalCutCrossing = (scenario, t) =>
  crossing(scenario, replay(scenario), (e) => e.pt <= t);

/**
 * A scenario with every documented default filled in (docs/scenario-format.md),
 * so a hand-written file and the page's getScenario() compare field by field.
 */
export function normalize(s) {
  return {
    version: s.version ?? 1,
    nodes: s.nodes.map((n) => ({
      name: n.name,
      skew_ms: n.skew_ms ?? 0,
      drift_ppm: n.drift_ppm ?? 0,
      steps: (n.steps ?? []).map((st) => ({ at_ms: st.at_ms, by_ms: st.by_ms })),
    })),
    events: (s.events ?? []).map((e) => ({ node: e.node, at_ms: e.at_ms })),
    messages: (s.messages ?? []).map((m) => ({
      from: m.from,
      sent_at_ms: m.sent_at_ms,
      to: m.to,
      received_at_ms: m.received_at_ms,
    })),
    settings: {
      max_offset_ms: s.settings?.max_offset_ms ?? null,
      counter_bits: s.settings?.counter_bits ?? 16,
    },
  };
}

// An independent check of the tour's claims: each fact a tour step states
// (as hlcviz.lesson().claims[i].fact, the JSON of src/tour.rs Fact::to_json)
// re-checked in plain JavaScript on the page's own trace (hlcviz.getTrace()).
// Nothing here calls the page's checker, so a step whose words and diagram
// disagree fails here even if the Rust checker had the same mistake.

const sameRef = (a, b) => a.kind === b.kind && a.index === b.index;

/** The trace event a scenario ref names. */
export function eventOf(trace, ref) {
  const e = trace.events.find((x) => sameRef(x.event, ref));
  if (!e) throw new Error(`no event ${ref.kind}:${ref.index} in the trace`);
  return e;
}

const recvOf = (trace, m) => eventOf(trace, { kind: 'recv', index: m });
const sendOf = (trace, m) => eventOf(trace, { kind: 'send', index: m });

/** (l, c) order. */
export const hlcLess = (a, b) => a.l < b.l || (a.l === b.l && a.c < b.c);
const hlcLessEq = (a, b) => !hlcLess(b, a);

/** Whether e happened before f, from their vector clocks. */
export function happenedBefore(e, f) {
  if (e === f) return false;
  return e.vector.every((v, i) => v <= f.vector[i]) && e.vector.some((v, i) => v < f.vector[i]);
}

const VALUE = {
  hlc: (e) => e.hlc,
  naive: (e) => ({ l: e.naive_l, c: 0 }),
  lamport: (e) => ({ l: e.lamport, c: 0 }),
  physical: (e) => ({ l: e.pt, c: 0 }),
};

/** The pairs a clock must order: each event after the one before it on its
 * node, each accepted receive after its send. */
function orderedPairs(trace) {
  const pairs = [];
  const last = new Map();
  for (const e of trace.events) {
    if (last.has(e.node)) pairs.push([last.get(e.node), e]);
    last.set(e.node, e);
    if (e.kind === 'recv' && e.rejected == null) pairs.push([trace.events[e.partner], e]);
  }
  return pairs;
}

function respects(trace, clock) {
  const value = VALUE[clock];
  if (!value) throw new Error(`unknown clock ${clock}`);
  return orderedPairs(trace).every(([a, b]) => hlcLess(value(a), value(b)));
}

/** null when `fact` holds on `trace` (the replay of `scenario`), else what
 * is true instead. */
export function checkFact(fact, trace, scenario) {
  const ev = () => eventOf(trace, fact.event);
  const all = trace.events;
  switch (fact.kind) {
    case 'pt':
      return ev().pt === fact.pt ? null : `pt is ${ev().pt}, not ${fact.pt}`;
    case 'hlc': {
      const { l, c } = ev().hlc;
      return l === fact.l && c === fact.c ? null : `hlc is (${l}, ${c}), not (${fact.l}, ${fact.c})`;
    }
    case 'lamport':
      return ev().lamport === fact.value ? null : `Lamport is ${ev().lamport}, not ${fact.value}`;
    case 'naive_ahead': {
      const by = ev().naive_l - ev().pt;
      return by === fact.by_ms ? null : `naive l − pt is ${by}, not ${fact.by_ms}`;
    }
    case 'rule':
      return ev().rule === fact.rule ? null : `the rule is ${ev().rule}, not ${fact.rule}`;
    case 'pt_back': {
      const by = sendOf(trace, fact.message).pt - recvOf(trace, fact.message).pt;
      return by === fact.by_ms && by > 0 ? null : `m${fact.message} goes back by ${by}, not ${fact.by_ms}`;
    }
    case 'respects_causality':
      return respects(trace, fact.clock) ? null : `${fact.clock} breaks causality`;
    case 'breaks_causality':
      return respects(trace, fact.clock) ? `${fact.clock} respects causality` : null;
    case 'lamport_against_real_time': {
      const a = eventOf(trace, fact.earlier);
      const b = eventOf(trace, fact.later);
      return a.real_ms < b.real_ms && b.lamport < a.lamport
        ? null
        : `real ${a.real_ms} → ${b.real_ms}, Lamport ${a.lamport} → ${b.lamport}`;
    }
    case 'max_l_minus_pt': {
      const max = Math.max(...all.map((e) => e.hlc.l - e.pt));
      return max === fact.ms ? null : `the largest l − pt is ${max}, not ${fact.ms}`;
    }
    case 'max_counter': {
      const max = Math.max(...all.map((e) => e.hlc.c));
      return max === fact.c ? null : `the largest c is ${max}, not ${fact.c}`;
    }
    case 'hlc_cut_consistent': {
      const inCut = (e) => hlcLessEq(e.hlc, fact.theta);
      const bad = all.filter(
        (e) => e.kind === 'recv' && e.rejected == null && inCut(e) && !inCut(all[e.partner]),
      );
      return bad.length === 0 ? null : `m${bad[0].message} crosses the HLC cut backwards`;
    }
    case 'physical_cut_crossed': {
      const r = recvOf(trace, fact.message);
      const s = sendOf(trace, fact.message);
      return r.pt <= fact.t && s.pt > fact.t
        ? null
        : `m${fact.message}: send pt ${s.pt}, receive pt ${r.pt}, cut at ${fact.t}`;
    }
    case 'rejected':
      return recvOf(trace, fact.message).rejected != null ? null : `m${fact.message} is accepted`;
    case 'fits_in_64_bits': {
      const bad = all.find((e) => e.hlc.l < 0 || e.hlc.l >= 2 ** 48 || e.hlc.c >= 2 ** 16);
      return bad ? `(${bad.hlc.l}, ${bad.hlc.c}) does not fit` : null;
    }
    case 'carried':
      return ev().carried ? null : 'the counter did not carry';
    case 'ordered_but_concurrent': {
      const a = eventOf(trace, fact.first);
      const b = eventOf(trace, fact.second);
      if (!hlcLess(a.hlc, b.hlc)) return 'the first is not the smaller';
      return happenedBefore(a, b) || happenedBefore(b, a) ? 'they are causally related' : null;
    }
    case 'clocks_apart': {
      const a = eventOf(trace, fact.first);
      const b = eventOf(trace, fact.second);
      return a.real_ms === b.real_ms && b.pt - a.pt === fact.by_ms
        ? null
        : `real ${a.real_ms} / ${b.real_ms}, pt ${a.pt} / ${b.pt}`;
    }
    case 'pt_elapsed': {
      const a = eventOf(trace, fact.from);
      const b = eventOf(trace, fact.to);
      const real = b.real_ms - a.real_ms;
      const pt = b.pt - a.pt;
      return a.node === b.node && real === fact.real_ms && pt === fact.pt_ms
        ? null
        : `real time advances ${real}, the clock ${pt}`;
    }
    case 'spread': {
      // Without drift or steps the spread is the largest skew minus the
      // smallest (a scenario with either needs a check of its own).
      if (scenario.nodes.some((n) => (n.drift_ppm ?? 0) !== 0 || (n.steps ?? []).length > 0)) {
        throw new Error('spread is only checked here for clocks without drift or steps');
      }
      const skews = scenario.nodes.map((n) => n.skew_ms ?? 0);
      const spread = Math.max(...skews) - Math.min(...skews);
      return spread === fact.ms ? null : `the spread is ${spread}, not ${fact.ms}`;
    }
    case 'stamp_ahead': {
      const by = sendOf(trace, fact.message).hlc.l - recvOf(trace, fact.message).pt;
      return by === fact.by_ms ? null : `m${fact.message} is stamped ${by} ahead, not ${fact.by_ms}`;
    }
    default:
      throw new Error(`no JavaScript check for the fact kind '${fact.kind}': add one`);
  }
}

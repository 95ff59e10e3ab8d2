// Matches a log with a ShiViz parser expression, in a Worker so that an
// expression that backtracks for ever can be stopped (the page terminates this
// worker after a few seconds and says so). It does what hlcviz's native
// matcher does (src/logimport.rs, match_log) with the browser's own RegExp,
// flags g and m as ShiViz uses them: the log split at each match of the
// delimiter into executions, every match of the parser in each, with its line
// number and its groups event, host, clock and date or timestamp. The reply
// is {ok: JSON of the matched log} or {error: one sentence}; building the
// scenario from it is done in Rust, the same code as the command line's.

const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
const MAX_PATTERN_CHARS = 4096;
const MAX_EXECUTIONS = 1000;
const MAX_EVENTS = 200000;
const MAX_FIELD = 1024;
const MAX_CLOCK = 64 * 1024;
const MAX_LABEL_CHARS = 80;
const SHIVIZ_REGEX = '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})';
const TIME_GROUPS = ['date', 'timestamp'];

class Refused extends Error {}

function compile(which, pattern) {
  if (pattern.length > MAX_PATTERN_CHARS) {
    throw new Refused(`the ${which} expression is not valid: it is longer than ${MAX_PATTERN_CHARS} characters`);
  }
  try {
    return new RegExp(pattern, 'gm');
  } catch (e) {
    const why = String(e && e.message ? e.message : e).replace(/^Invalid regular expression: /, '');
    throw new Refused(`the ${which} expression is not valid: ${why}`);
  }
}

/** The names of the named groups of a compiled expression. */
function groupNames(re) {
  const m = new RegExp(re.source + '|', '').exec('');
  return m && m.groups ? Object.keys(m.groups) : [];
}

const cut = (s, max) => (s == null ? '' : s.length > max ? s.slice(0, max) : s);
const shorten = (s) => (s.length > 60 ? s.slice(0, 60) + '…' : s);

function countLines(text, from, to) {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Non-blank lines of text[start, end) no span touches: [count, [line, text] | null]. */
function unmatched(text, start, end, firstLine, spans) {
  let count = 0, first = null, span = 0, line = firstLine, ls = start;
  while (ls <= end) {
    let le = text.indexOf('\n', ls);
    if (le === -1 || le > end) le = end;
    while (span < spans.length && spans[span][1] <= ls) span++;
    const touched = span < spans.length && spans[span][0] <= le && spans[span][1] > ls;
    const content = text.slice(ls, le);
    if (!touched && content.trim() !== '') {
      count++;
      if (!first) first = [line, content.replace(/\s+$/, '').slice(0, 200)];
    }
    line++;
    ls = le + 1;
  }
  return [count, first];
}

function matchLog(text, parser, delimiter) {
  if (text.length > MAX_IMPORT_BYTES) {
    throw new Refused(`the log is ${text.length} characters, more than the limit of ${MAX_IMPORT_BYTES}; nothing was read`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n/g, '\n');
  const re = compile('parser', parser.trim() || SHIVIZ_REGEX);
  const names = groupNames(re);
  const missing = ['event', 'host', 'clock'].filter((g) => !names.includes(g));
  if (missing.length) {
    throw new Refused(`the parser expression needs the named groups event, host and clock, as (?<name>...); it lacks ${missing.join(', ')}`);
  }
  const timeGroup = TIME_GROUPS.find((g) => names.includes(g)) || null;

  const spans = [];
  if (delimiter.trim() === '') {
    spans.push(['', 0, text.length]);
  } else {
    const delim = compile('delimiter', delimiter.trim());
    const hasTrace = groupNames(delim).includes('trace');
    let label = '', start = 0, m;
    while ((m = delim.exec(text)) !== null) {
      if (m[0].length === 0) { delim.lastIndex++; continue; }
      spans.push([label, start, m.index]);
      label = (hasTrace ? (m.groups.trace || '') : m[0].trim()).slice(0, MAX_LABEL_CHARS);
      start = m.index + m[0].length;
      if (spans.length > MAX_EXECUTIONS * 4) break;
    }
    spans.push([label, start, text.length]);
  }

  const executions = [];
  let lineAt = 0, line = 1;
  const lineOf = (offset) => {
    if (offset > lineAt) { line += countLines(text, lineAt, offset); lineAt = offset; }
    return line;
  };
  for (const [label, start, end] of spans) {
    const segment = text.slice(start, end);
    if (segment.trim() === '') continue;
    const segmentLine = lineOf(start);
    const firstLine = lineOf(start + (segment.length - segment.trimStart().length));
    if (executions.length === MAX_EXECUTIONS) {
      throw new Refused(`line ${firstLine}: the delimiter splits the log into more than ${MAX_EXECUTIONS} executions`);
    }
    const records = [], covered = [];
    let at = 0, matchLine = segmentLine, m;
    re.lastIndex = 0;
    while ((m = re.exec(segment)) !== null) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      matchLine += countLines(segment, at, m.index);
      at = m.index;
      if (records.length === MAX_EVENTS) {
        throw new Refused(`line ${matchLine}: one execution has more than ${MAX_EVENTS} events, the most a scenario may have`);
      }
      const g = m.groups || {};
      const record = { l: matchLine, h: cut(g.host, MAX_FIELD), c: cut(g.clock, MAX_CLOCK), e: cut(g.event, MAX_FIELD) };
      if (timeGroup) record.t = cut(g[timeGroup], MAX_FIELD);
      records.push(record);
      covered.push([start + m.index, start + m.index + m[0].length]);
    }
    const [count, first] = unmatched(text, start, end, segmentLine, covered);
    executions.push({ label, line: firstLine, records, unmatched: count, first_unmatched: first });
  }
  if (executions.every((e) => e.records.length === 0)) {
    const first = executions.length ? executions[0].first_unmatched : null;
    throw new Refused(first
      ? `the parser expression matches no event; line ${first[0]} is the first it does not match: \`${shorten(first[1])}\``
      : 'the parser expression matches no event (the text is blank)');
  }
  return { time_group: timeGroup, executions };
}

self.onmessage = (event) => {
  const { text, parser, delimiter } = event.data || {};
  try {
    const log = matchLog(String(text ?? ''), String(parser ?? ''), String(delimiter ?? ''));
    self.postMessage({ ok: JSON.stringify(log) });
  } catch (e) {
    self.postMessage({ error: e instanceof Refused ? e.message : 'the log could not be matched: ' + String(e && e.message ? e.message : e) });
  }
};

//! Finding events in a big trace: a query of words and filters, matched
//! against what the page shows of each event.
//!
//! A query is space-separated terms, all of which must match:
//! - `node:NAME`: the event's node name contains NAME;
//! - `hlc:FROM..TO` (`hlc:FROM..`, `hlc:..TO`, `hlc:L`): the HLC's `l` lies
//!   in the range, inclusive;
//! - `kind:local|send|recv`;
//! - any other word: found in the event's text, which is its node name, its
//!   kind, the node at the other end of its message, and its label as drawn
//!   (the clock in view and any database operation).
//!
//! Matching ignores case. Quotes group words: `"put x"`.

use hlc::Time;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Text in the event's description (lower case).
    Text(String),
    /// The node's name contains this (lower case).
    Node(String),
    /// The HLC's `l` in this inclusive range.
    Hlc(Time, Time),
    /// The kind of event.
    Kind(crate::sim::EventKind),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Every term must match.
    pub terms: Vec<Term>,
}

impl Query {
    /// Parses a query, or says which term is wrong.
    pub fn parse(text: &str) -> Result<Query, String> {
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(format!("A search is at most {MAX_QUERY_CHARS} characters."));
        }
        let mut terms = Vec::new();
        for word in words(text) {
            terms.push(term(&word)?);
        }
        Ok(Query { terms })
    }

    /// Whether there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether an event matches: `l` its HLC's `l`, `node` its node's name,
    /// `kind` its kind, `text` what the page says of it (any case).
    pub fn matches(&self, l: Time, node: &str, kind: crate::sim::EventKind, text: &str) -> bool {
        let text = text.to_lowercase();
        let node = node.to_lowercase();
        self.terms.iter().all(|t| match t {
            Term::Text(word) => text.contains(word.as_str()),
            Term::Node(name) => node.contains(name.as_str()),
            Term::Hlc(from, to) => (*from..=*to).contains(&l),
            Term::Kind(k) => *k == kind,
        })
    }
}

/// The query's words: spaces separate them, double quotes group them.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn term(word: &str) -> Result<Term, String> {
    let lower = word.to_lowercase();
    if let Some(name) = lower.strip_prefix("node:") {
        if name.is_empty() {
            return Err("node: needs a name, as in node:db-1.".into());
        }
        return Ok(Term::Node(name.to_string()));
    }
    if let Some(range) = lower.strip_prefix("hlc:") {
        return hlc_range(range).map(|(a, b)| Term::Hlc(a, b));
    }
    if let Some(kind) = lower.strip_prefix("kind:") {
        use crate::sim::EventKind;
        return match kind {
            "local" => Ok(Term::Kind(EventKind::Local)),
            "send" => Ok(Term::Kind(EventKind::Send)),
            "recv" | "receive" => Ok(Term::Kind(EventKind::Recv)),
            _ => Err("kind: is local, send or recv.".into()),
        };
    }
    Ok(Term::Text(lower))
}

fn hlc_range(range: &str) -> Result<(Time, Time), String> {
    let bad = || {
        format!(
            "hlc: takes an l or a range of them in ms, as in hlc:1200..1500, hlc:1200.. or hlc:..1500 (not \u{2068}{}\u{2069}).",
            crate::report::truncate_chars(range, 24)
        )
    };
    let number = |s: &str| -> Result<Option<Time>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<Time>().map(Some).map_err(|_| bad())
    };
    let (from, to) = match range.split_once("..") {
        Some((a, b)) => (number(a)?, number(b)?),
        None => {
            let l = number(range)?.ok_or_else(bad)?;
            (Some(l), Some(l))
        }
    };
    let (from, to) = (from.unwrap_or(Time::MIN), to.unwrap_or(Time::MAX));
    if from > to {
        return Err(format!(
            "hlc:{from}..{to} is empty: the first number is the smaller."
        ));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::EventKind;

    #[test]
    fn parses_terms() {
        let q = Query::parse(r#"node:DB hlc:100..200 kind:send "put x""#).unwrap();
        assert_eq!(
            q.terms,
            vec![
                Term::Node("db".into()),
                Term::Hlc(100, 200),
                Term::Kind(EventKind::Send),
                Term::Text("put x".into()),
            ]
        );
        assert_eq!(
            Query::parse("hlc:..5").unwrap().terms,
            vec![Term::Hlc(Time::MIN, 5)]
        );
        assert_eq!(Query::parse("hlc:7").unwrap().terms, vec![Term::Hlc(7, 7)]);
        assert!(Query::parse("   ").unwrap().is_empty());
    }

    #[test]
    fn refuses_bad_terms_with_a_reason() {
        for bad in [
            "hlc:abc",
            "hlc:9..1",
            "hlc:",
            "kind:other",
            "node:",
            "hlc:99999999999999999999",
        ] {
            let why = Query::parse(bad).unwrap_err();
            assert!(why.ends_with('.'), "{bad}: {why}");
        }
        assert!(Query::parse(&"x".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }

    #[test]
    fn matches_all_terms() {
        let q = Query::parse("node:b hlc:10..20 put").unwrap();
        assert!(q.matches(15, "node-B", EventKind::Local, "(15,0) PUT x=1"));
        assert!(!q.matches(21, "node-B", EventKind::Local, "(21,0) put x=1"));
        assert!(!q.matches(15, "a", EventKind::Local, "(15,0) put x=1"));
        assert!(!q.matches(15, "b", EventKind::Local, "(15,0) get x"));
    }
}

//! The database lens in the app: what a double-click adds (an event, a put or
//! a get) and of which key, so reads and writes are drawn with the same
//! gestures as events.

use super::{AddKind, App};
use crate::scenario::{text_problem, EventRef, KvOp, Put, TextProblem, MAX_KEY_CHARS};

impl App {
    /// What a double-click adds.
    pub fn add_kind(&self) -> AddKind {
        self.view.add_kind
    }

    /// Sets what a double-click adds.
    pub fn set_add_kind(&mut self, kind: AddKind) {
        self.view.add_kind = kind;
    }

    /// The key a new put or get uses.
    pub fn add_key(&self) -> &str {
        &self.view.add_key
    }

    /// Sets the key of new puts and gets, or says why it cannot be one.
    pub fn set_add_key(&mut self, key: &str) -> Result<(), String> {
        // The scenario's own rule for keys, so a key taken here is one a put
        // or get can hold.
        let key = key.trim();
        match text_problem(key, MAX_KEY_CHARS, false) {
            Some(TextProblem::Empty) => Err("A key needs at least one character.".into()),
            Some(TextProblem::TooLong(max)) => Err(format!("A key has at most {max} characters.")),
            Some(TextProblem::Control) => Err("A key cannot hold control characters.".into()),
            None => {
                self.view.add_key = key.to_string();
                Ok(())
            }
        }
    }

    /// The write a new put makes: the key, and the next value of it
    /// (`v1`, `v2`, …, one more than the puts of that key so far).
    pub fn next_put(&self) -> Put {
        let key = self.view.add_key.clone();
        let scenario = self.doc.scenario();
        let local = scenario
            .events
            .iter()
            .filter(|e| matches!(&e.kv, Some(KvOp::Put { key: k, .. }) if *k == key))
            .count();
        let carried = scenario
            .messages
            .iter()
            .filter(|m| m.put.as_ref().is_some_and(|p| p.key == key))
            .count();
        Put {
            key,
            value: format!("v{}", local + carried + 1),
        }
    }

    /// The operation a double-click adds now, if not a plain event.
    pub(super) fn new_kv_op(&self) -> Option<KvOp> {
        match self.view.add_kind {
            AddKind::Event => None,
            AddKind::Put => {
                let Put { key, value } = self.next_put();
                Some(KvOp::Put { key, value })
            }
            AddKind::Get => Some(KvOp::Get {
                key: self.view.add_key.clone(),
            }),
        }
    }

    /// The write a message drawn now carries (put mode), if any.
    pub(super) fn new_message_put(&self) -> Option<Put> {
        (self.view.add_kind == AddKind::Put).then(|| self.next_put())
    }
}

impl App {
    /// What trace event `index` does to the data, for its label: `x=v1` for a
    /// put (on a message, at its send, whose timestamp the version takes),
    /// `x→v1` for a get (`x→∅` when it finds no value).
    pub(super) fn kv_label(&self, index: usize) -> Option<String> {
        let scenario = self.doc.scenario();
        let e = self.doc.trace().event(index)?;
        match e.source {
            EventRef::Local(i) => match &scenario.events.get(i)?.kv {
                Some(KvOp::Put { key, value }) => Some(format!("{key}={value}")),
                Some(KvOp::Get { key }) => {
                    let run = self.doc.kv();
                    let read = run.read_at(index)?;
                    let value = read
                        .result
                        .and_then(|v| run.versions.get(v))
                        .map_or("∅", |v| v.value.as_str());
                    Some(format!("{key}→{value}"))
                }
                None => None,
            },
            EventRef::Send(m) => {
                let put = scenario.messages.get(m)?.put.as_ref()?;
                Some(format!("{}={}", put.key, put.value))
            }
            EventRef::Recv(_) => None,
        }
    }

    /// The tooltip's lines on what trace event `index` does to the data.
    pub(super) fn kv_words(&self, index: usize) -> Vec<String> {
        let run = self.doc.kv();
        let scenario = self.doc.scenario();
        if let Some(read) = run.read_at(index) {
            return read.explain(run, scenario);
        }
        run.version_at(index)
            .map(|v| v.explain(scenario, self.doc.trace()))
            .into_iter()
            .collect()
    }
}

impl App {
    /// Says why `event`, just added, was refused (its node had stopped
    /// itself): it stays on the diagram, greyed, and does nothing. Returns
    /// whether it was.
    pub(super) fn say_if_refused(&mut self, event: EventRef) -> bool {
        let trace = self.doc.trace();
        let Some(index) = trace.index_of(event) else {
            return false;
        };
        if !trace.event(index).is_some_and(|e| e.refused()) {
            return false;
        }
        let why = trace.explain(index);
        self.notify(format!("Added, but refused: {why}"));
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::app::App;
    use crate::scenario::Scenario;

    #[test]
    fn a_new_key_follows_the_scenario_rule_for_keys_and_a_refused_one_changes_nothing() {
        let mut app = App::new(Scenario::with_nodes(&["A"]));
        assert_eq!(app.set_add_key("  k "), Ok(()));
        assert_eq!(app.add_key(), "k");
        for (bad, why) in [
            ("   ", "A key needs at least one character."),
            (&"k".repeat(33)[..], "A key has at most 32 characters."),
            ("a\u{7}b", "A key cannot hold control characters."),
        ] {
            assert_eq!(app.set_add_key(bad), Err(why.to_string()));
            assert_eq!(app.add_key(), "k");
        }
        assert_eq!(app.set_add_key(&"k".repeat(32)), Ok(()));
    }
}

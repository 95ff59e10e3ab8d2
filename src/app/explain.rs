//! The words: what an event is and why it has its timestamp, and a timestamp
//! bit by bit.

use super::Document;
use crate::scenario::EventRef;
use crate::sim::EventKind;
use hlc::Timestamp;

/// The lines of the tooltip (and the selection panel) for trace event `index`.
pub fn describe(doc: &Document, index: usize) -> Vec<String> {
    let trace = doc.trace();
    let Some(e) = trace.event(index) else {
        return Vec::new();
    };
    let name = doc.node_name(e.node);
    let partner_name = e
        .partner
        .and_then(|p| trace.event(p))
        .map(|p| doc.node_name(p.node))
        .unwrap_or_default();
    let what = match e.source {
        EventRef::Local(i) => format!("{name}: local event e{i}"),
        EventRef::Send(i) => format!("{name}: send of message m{i} to {partner_name}"),
        EventRef::Recv(i) => format!("{name}: receive of message m{i} from {partner_name}"),
    };
    let vector: Vec<String> = trace.vector(index).iter().map(u32::to_string).collect();
    let mut lines = vec![
        what,
        format!("real time {} ms · node clock pt {} ms", e.real_ms, e.pt()),
        format!(
            "HLC {}   (l − pt = {} ms)",
            e.hlc(),
            e.hlc().l.saturating_sub(e.pt())
        ),
        format!("Why: {}", trace.explain(index)),
        format!(
            "naive l {} · Lamport {} · vector [{}]",
            e.naive_l,
            e.lamport,
            vector.join(" ")
        ),
    ];
    if e.kind() == EventKind::Recv && e.rejection.is_some() {
        lines.push("This message was rejected by the max-offset bound.".into());
    }
    lines
}

/// A timestamp packed into 64 bits (48 of `l`, 16 of `c`), bit by bit: the
/// `l` bits and the `c` bits (each grouped by 8) and the word in hex; or why it
/// does not fit.
pub fn packed_bits(ts: Timestamp) -> Result<(String, String, String), hlc::PackError> {
    let word = ts.pack()?;
    let bits = format!("{word:064b}");
    let group = |s: &str| {
        s.as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (l_bits, c_bits) = bits.split_at(hlc::PACKED_L_BITS as usize);
    Ok((group(l_bits), group(c_bits), format!("0x{word:016x}")))
}

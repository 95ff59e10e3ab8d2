//! Two threads exchange messages over a channel, each recording its events
//! with `hlc::recorder`; both logs go to standard output, one after the other,
//! which is itself a valid `hlcviz-log/1` file:
//!
//! ```sh
//! cargo run -p hlc --features recorder --example recorder > run.jsonl
//! hlcviz import run.jsonl -o run.json     # or open run.jsonl on the page
//! ```
//!
//! The wire format is the stamp's JSON ([`Stamp::to_json`]); a real program
//! puts it in its own message header or payload.

use hlc::recorder::{wall_clock_ns, Recorder, Stamp};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs one host: `rounds` times, send a message to the peer, then receive
/// one. Returns the host's log.
fn host(
    name: &'static str,
    offset_ms: i64,
    rounds: usize,
    to_peer: mpsc::Sender<String>,
    from_peer: mpsc::Receiver<String>,
) -> Result<Vec<u8>, String> {
    let clock = || wall_clock_ns(offset_ms * 1_000_000);
    let mut rec = Recorder::new(name, Vec::new()).map_err(|e| e.to_string())?;
    rec.local(clock(), Some("start"))
        .map_err(|e| e.to_string())?;
    for round in 0..rounds {
        thread::sleep(Duration::from_millis(3));
        let stamp = rec
            .send(clock(), Some(&format!("ping {round}")))
            .map_err(|e| e.to_string())?;
        to_peer.send(stamp.to_json()).map_err(|e| e.to_string())?;
        let wire = from_peer
            .recv_timeout(Duration::from_secs(5))
            .map_err(|e| format!("{name}: no message from the peer: {e}"))?;
        // What arrives is outside input: a bad stamp is reported, not trusted.
        match Stamp::from_json(wire.as_bytes()) {
            Ok(stamp) => {
                thread::sleep(Duration::from_millis(2));
                rec.recv(clock(), &stamp, None).map_err(|e| e.to_string())?;
            }
            Err(e) => eprintln!("{name}: ignored a message: {e}"),
        }
    }
    Ok(rec.into_inner())
}

fn main() -> Result<(), String> {
    let (to_b, from_a) = mpsc::channel();
    let (to_a, from_b) = mpsc::channel();
    // b's wall clock runs 25 ms ahead of a's.
    let b = thread::spawn(move || host("b", 25, 5, to_a, from_a));
    let a_log = host("a", 0, 5, to_b, from_b)?;
    let b_log = b.join().map_err(|_| "thread b panicked".to_string())??;
    let out = [a_log, b_log].concat();
    print!("{}", String::from_utf8_lossy(&out));
    Ok(())
}

//! The clock on its own: two nodes, one message, every rule branch explained.
//!
//! `cargo run -p hlc --example basics`

use hlc::{Hlc, Policy, Timestamp};

fn main() {
    // Node a's physical clock reads 100 ms; node b's is 30 ms behind.
    let mut a = Hlc::new();
    let mut b = Hlc::with_policy(Policy {
        max_offset: Some(500),
        ..Policy::default()
    });

    let local = a.local(100).expect("a small l cannot overflow");
    println!("a local  {}  {}", local.timestamp, local.explain());
    let send = a.send(100).expect("a small l cannot overflow");
    println!("a send   {}  {}", send.timestamp, send.explain());

    // The message arrives at b when b's clock reads 75: b is behind, so it
    // takes the message's l and counts.
    let recv = b.recv(75, send.timestamp).expect("within the max offset");
    println!("b recv   {}  {}", recv.timestamp, recv.explain());

    // A timestamp from a clock 10 s ahead is refused: the max offset is 500 ms.
    match b.recv(80, Timestamp::new(10_080, 0)) {
        Ok(tick) => println!("b accepted {}", tick.timestamp),
        Err(e) => println!("b refused: {e}"),
    }
    println!("b is still at {}", b.now());
}

//! Prints permalink sizes (the figures in docs/permalink.md and the README):
//! a 10-node, 100-message scenario, the default one, and a 64-node,
//! 20,000-message one, each with the version its link took and the length
//! its uncompressed (version 1) link would have.
//! `cargo run --release --example link_size`.
fn main() {
    let cases = [
        (
            "10 nodes, 100 messages",
            hlcviz::generate::random_scenario(10, 100, 0, 42),
        ),
        ("default scenario", hlcviz::app::default_scenario()),
        (
            "64 nodes, 20,000 messages",
            hlcviz::generate::random_scenario(64, 20_000, 0, 42),
        ),
    ];
    for (what, scenario) in cases {
        let link = hlcviz::permalink::encode(&scenario, None);
        let plain = hlcviz::permalink::encode_uncompressed(&scenario, None);
        println!(
            "{what}: {} characters ({}), uncompressed {} characters",
            link.len(),
            &link[..2],
            plain.len()
        );
    }
}

//! Prints the permalink size of a 10-node, 100-message scenario (the figure in
//! docs/permalink.md): `cargo run --example link_size`.
fn main() {
    let s = hlcviz::generate::random_scenario(10, 100, 0, 42);
    let link = hlcviz::permalink::encode(&s, None);
    let default = hlcviz::permalink::encode(&hlcviz::app::default_scenario(), None);
    println!("10 nodes, 100 messages: {} characters", link.len());
    println!("default scenario: {} characters", default.len());
}

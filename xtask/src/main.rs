//! Project automation; the tidy checks run as its tests (`cargo test -p xtask`).

fn main() {}

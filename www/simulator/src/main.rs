//! `assure-simulator`: the Assure simulator on its own, for testing any backend offline
//! (`--help` lists the options).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    assure_simulator::standalone::main(std::env::args().skip(1)).await
}

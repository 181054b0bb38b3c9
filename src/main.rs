//! The eventmap command line: parse, dispatch to `cli`, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

mod cli;

/// mimalloc: extraction allocates many short-lived strings and vectors;
/// glibc malloc spent about 15% of extraction time on them. Built without
/// transparent huge pages (the `no_thp` feature): the kernel zeroed 2 MiB
/// pages for it (1.5-2.5 s of system time in a 50,000-article run with a
/// 1,000,000-name gazetteer), and streaming peaked at about 96 MB against 77.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("eventmap: {e:#}");
            ExitCode::from(2)
        }
    }
}

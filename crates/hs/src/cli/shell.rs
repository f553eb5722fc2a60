//! Shell conventions: `hs completions SHELL` (clap_complete) and `hs man`
//! (clap_mangen), both written to stdout from the clap definitions, so they
//! never drift from the real flags.

use std::io::Write;

use clap::CommandFactory;

use super::EXIT_OK;
use super::args::{Cli, CompletionsArgs};
use super::output::stdout;

pub fn completions(a: &CompletionsArgs) -> anyhow::Result<i32> {
    let mut cmd = Cli::command();
    let mut out = stdout();
    clap_complete::generate(a.shell, &mut cmd, "hs", &mut out);
    out.flush()?;
    Ok(EXIT_OK)
}

pub fn man() -> anyhow::Result<i32> {
    let cmd = Cli::command();
    let mut out = stdout();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    out.flush()?;
    Ok(EXIT_OK)
}

//! `hs serve` and `hs mcp`: open the engine once (with the usual notices on
//! stderr) and hand it to the network front ends in `hs-server`.

use hs_server::Service;
use hs_server::http::{self, Config};

use super::args::{Global, ServeArgs};
use super::output::engine;
use super::{EXIT_OK, Failure};

pub fn run(g: &Global, a: &ServeArgs) -> anyhow::Result<i32> {
    let token = match &a.token {
        Some(t) => Some(t.clone()),
        None => std::env::var("HS_TOKEN").ok(),
    };
    let config = Config {
        addr: a.addr,
        token,
    };
    // Refuse an exposed address before the slow part.
    http::check_exposure(&config).map_err(|e| Failure::usage(e.to_string()))?;
    let service = Service::new(engine(g)?);
    http::run(service, config)?;
    Ok(EXIT_OK)
}

pub fn mcp(g: &Global) -> anyhow::Result<i32> {
    let service = Service::new(engine(g)?);
    hs_server::mcp::run(service)?;
    Ok(EXIT_OK)
}

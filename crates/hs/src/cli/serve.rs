//! `hs serve` and `hs mcp`: open the engine once (with the usual notices on
//! stderr, and the store's precedent sets with `--use-store`) and hand it to the network front ends in `hs-server`.

use hs_server::Service;
use hs_server::http::{self, Config};

use super::args::{Global, McpArgs, ServeArgs};
use super::precedents::{Default as PrecedentDefault, engine_with_precedents};
use super::{EXIT_OK, Failure};

pub fn run(g: &Global, a: &ServeArgs) -> anyhow::Result<i32> {
    let token = match &a.token {
        Some(t) => Some(t.clone()),
        // Set but not UTF-8: refused, never taken as no token.
        None => match std::env::var("HS_TOKEN") {
            Ok(t) => Some(t),
            Err(std::env::VarError::NotPresent) => None,
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Failure::usage(
                    "HS_TOKEN is not valid UTF-8: give a token of printable ASCII characters",
                ));
            }
        },
    };
    let config = Config {
        addr: a.addr,
        token,
    };
    // Refuse an exposed address before the slow part.
    http::check_exposure(&config).map_err(|e| Failure::usage(e.to_string()))?;
    let service = Service::new(engine_with_precedents(g, store_if(a.use_store))?);
    http::run(service, config)?;
    Ok(EXIT_OK)
}

/// The services consult the store only when asked (`--use-store`);
/// `--precedents FILE` applies as everywhere.
fn store_if(use_store: bool) -> PrecedentDefault {
    if use_store {
        PrecedentDefault::Store
    } else {
        PrecedentDefault::None
    }
}

pub fn mcp(g: &Global, a: &McpArgs) -> anyhow::Result<i32> {
    let service = Service::new(engine_with_precedents(g, store_if(a.use_store))?);
    hs_server::mcp::run(service)?;
    Ok(EXIT_OK)
}

//! `hs-server`: the network front ends of `hs` over the core's views. An
//! HTTP JSON API ([`http`], `hs serve`) and a Model Context Protocol server
//! over stdio ([`mcp`], `hs mcp`) share one [`service::Service`]: the
//! engine opened once, a pool of rankers, and the calls both front ends
//! make (search, show a code, classify a batch). They do no searching of
//! their own and answer with the core's typed views.

pub mod http;
pub mod mcp;
pub mod mcp_gate;
pub mod service;

pub use service::Service;

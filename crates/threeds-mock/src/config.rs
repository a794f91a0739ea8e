//! Command-line configuration (clap): hosts, ports, keys, lifetimes, origins.

use std::net::IpAddr;

use clap::Parser;

/// A local 3DS Server + Directory Server + ACS for every test card, on two loopback origins.
#[derive(Debug, Clone, Parser)]
#[command(name = "threeds-mock", version, about)]
pub struct Config {
    /// Address both origins listen on.
    #[arg(long, env = "THREEDS_MOCK_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port of the 3DS Server origin (session API, DS, notification pages); 0 picks a free one.
    #[arg(long, env = "THREEDS_MOCK_SERVER_PORT", default_value_t = 8181)]
    pub server_port: u16,
    /// Port of the ACS origin (method and challenge pages); 0 picks a free one.
    #[arg(long, env = "THREEDS_MOCK_ACS_PORT", default_value_t = 8182)]
    pub acs_port: u16,
}

impl Config {
    /// A configuration on free loopback ports, for tests.
    pub fn ephemeral() -> Self {
        Self::parse_from(["threeds-mock", "--server-port", "0", "--acs-port", "0"])
    }
}

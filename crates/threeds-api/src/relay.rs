//! What the notification pages on the 3DS Server origin post to the SDK host
//! frame once the ACS has posted to them: one message per step, versioned.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The `version` every relay message carries today.
pub const RELAY_VERSION: u8 = 1;

/// A notification page's message to its parent, the SDK host frame.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type"))]
pub enum Relay {
    /// The ACS's method page posted its notification.
    #[cfg_attr(feature = "serde", serde(rename = "threeds-web:method-notification", rename_all = "camelCase"))]
    MethodNotification {
        /// [`RELAY_VERSION`].
        version: u8,
        /// The session the method ran for.
        session_id: String,
        /// The 3DS Server's transaction the method data named.
        #[cfg_attr(feature = "serde", serde(rename = "threeDSServerTransID"))]
        three_ds_server_trans_id: String,
    },
    /// The ACS posted the final CRes.
    #[cfg_attr(feature = "serde", serde(rename = "threeds-web:challenge-notification", rename_all = "camelCase"))]
    ChallengeNotification {
        /// [`RELAY_VERSION`].
        version: u8,
        /// The session the challenge belongs to.
        session_id: String,
        /// The CRes's `threeDSServerTransID`.
        #[cfg_attr(feature = "serde", serde(rename = "threeDSServerTransID"))]
        three_ds_server_trans_id: String,
        /// The CRes's `acsTransID`.
        #[cfg_attr(feature = "serde", serde(rename = "acsTransID"))]
        acs_trans_id: String,
        /// The CRes's `transStatus` (Y or N), when it has one.
        trans_status: Option<String>,
        /// The `threeDSSessionData` form field the ACS echoed back, if any.
        #[cfg_attr(feature = "serde", serde(rename = "threeDSSessionData", default))]
        three_ds_session_data: Option<String>,
    },
}

impl Relay {
    /// The message version, whatever the kind.
    pub fn version(&self) -> u8 {
        match self {
            Self::MethodNotification { version, .. } | Self::ChallengeNotification { version, .. } => *version,
        }
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_challenge_notification_has_its_wire_shape() {
        let relay: Relay = serde_json::from_value(json!({
            "type": "threeds-web:challenge-notification", "version": 1, "sessionId": "s",
            "threeDSServerTransID": "t", "acsTransID": "a", "transStatus": "Y", "threeDSSessionData": null
        }))
        .unwrap();
        assert!(matches!(relay, Relay::ChallengeNotification { trans_status: Some(ref s), .. } if s == "Y"));
        assert_eq!(relay.version(), RELAY_VERSION);
    }
}

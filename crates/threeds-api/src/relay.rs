//! What pages in the method and challenge frames post to the SDK host frame:
//! - [`PageMessage`]: the SDK origin's own static pages. `relay.html` carries the
//!   form fields any 3DS Server's notification endpoint received (it answers the
//!   ACS's post with a 303 to the page, the fields in the URL fragment);
//!   `return.html` carries the query a processor's hosted page returned with.
//!
//! The SDK host frame accepts a relay only from the frame of the flow in progress,
//! at its own origin, of version [`RELAY_VERSION`], and only when the decoded
//! fields name that flow's transaction.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The `version` every relay message carries today.
pub const RELAY_VERSION: u8 = 1;

/// The `type` of a relay page's message.
pub const RELAY_TYPE: &str = "threeds-web:relay";
/// The `type` of a return page's message.
pub const RETURN_TYPE: &str = "threeds-web:return";

/// The form fields an ACS posts to a notification URL, unchanged (base64url).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct RelayFields {
    /// The method notification (3DS Method).
    #[cfg_attr(feature = "serde", serde(rename = "threeDSMethodData", default, skip_serializing_if = "Option::is_none"))]
    pub three_ds_method_data: Option<String>,
    /// The final CRes, or an Erro (challenge).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub cres: Option<String>,
    /// The `threeDSSessionData` the CReq carried, echoed back.
    #[cfg_attr(feature = "serde", serde(rename = "threeDSSessionData", default, skip_serializing_if = "Option::is_none"))]
    pub three_ds_session_data: Option<String>,
}

/// What the SDK origin's static pages post to their parent, the SDK host frame,
/// with the SDK origin as the target.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type"))]
pub enum PageMessage {
    /// `relay.html`: a notification endpoint's form fields.
    #[cfg_attr(feature = "serde", serde(rename = "threeds-web:relay"))]
    Relay {
        /// [`RELAY_VERSION`].
        version: u8,
        /// The fields, as posted.
        fields: RelayFields,
    },
    /// `return.html`: a processor's hosted 3DS page returned.
    #[cfg_attr(feature = "serde", serde(rename = "threeds-web:return"))]
    Return {
        /// [`RELAY_VERSION`].
        version: u8,
        /// The query parameters of the return URL, first value of each name.
        params: std::collections::BTreeMap<String, String>,
    },
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_static_pages_messages_have_their_wire_shape() {
        let relay: PageMessage = serde_json::from_value(json!({
            "type": RELAY_TYPE, "version": 1, "fields": { "cres": "eyJ9", "threeDSSessionData": "c2Vzcw" }
        }))
        .unwrap();
        let fields = RelayFields { cres: Some("eyJ9".into()), three_ds_session_data: Some("c2Vzcw".into()), ..Default::default() };
        assert_eq!(relay, PageMessage::Relay { version: RELAY_VERSION, fields });
        let back = PageMessage::Return { version: 1, params: [("payment_intent".to_owned(), "pi_1".to_owned())].into() };
        assert_eq!(serde_json::to_value(&back).unwrap(), json!({"type": RETURN_TYPE, "version": 1, "params": {"payment_intent": "pi_1"}}));
    }
}

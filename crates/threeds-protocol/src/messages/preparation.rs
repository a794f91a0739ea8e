use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::emv_message;
use super::marker::{PReqType, PResType};
use crate::MessageVersion;

emv_message! {
    /// Preparation Request: the 3DS Server asks the DS for its card ranges.
    pub struct PReq {
        required {
            message_type: PReqType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            three_ds_server_ref_number: String = "threeDSServerRefNumber",
        }
        optional {
            three_ds_server_operator_id: String = "threeDSServerOperatorID",
            three_ds_requestor_url: String = "threeDSRequestorURL",
            /// Asks only for changes since this serial number.
            serial_num: String = "serialNum",
        }
    }
}

emv_message! {
    /// Preparation Response: the DS's card ranges, with versions and method URLs.
    pub struct PRes {
        required {
            message_type: PResType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            ds_trans_id: String = "dsTransID",
            card_range_data: Vec<CardRange> = "cardRangeData",
        }
        optional {
            ds_start_protocol_version: String = "dsStartProtocolVersion",
            ds_end_protocol_version: String = "dsEndProtocolVersion",
            serial_num: String = "serialNum",
        }
    }
}

/// One card range of a PRes: which card numbers, which versions, which method URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardRange {
    /// First card number of the range (inclusive).
    #[serde(rename = "startRange")]
    pub start_range: String,
    /// Last card number of the range (inclusive).
    #[serde(rename = "endRange")]
    pub end_range: String,
    /// A add, M modify, D delete.
    #[serde(rename = "actionInd", default, skip_serializing_if = "Option::is_none")]
    pub action_ind: Option<String>,
    /// EMV `acsStartProtocolVersion`: lowest version the ACS supports for the range.
    #[serde(rename = "acsStartProtocolVersion", default, skip_serializing_if = "Option::is_none")]
    pub acs_start_protocol_version: Option<String>,
    /// EMV `acsEndProtocolVersion`: highest version the ACS supports for the range.
    #[serde(rename = "acsEndProtocolVersion", default, skip_serializing_if = "Option::is_none")]
    pub acs_end_protocol_version: Option<String>,
    /// EMV `dsStartProtocolVersion`: lowest version the DS supports for the range.
    #[serde(rename = "dsStartProtocolVersion", default, skip_serializing_if = "Option::is_none")]
    pub ds_start_protocol_version: Option<String>,
    /// EMV `dsEndProtocolVersion`: highest version the DS supports for the range.
    #[serde(rename = "dsEndProtocolVersion", default, skip_serializing_if = "Option::is_none")]
    pub ds_end_protocol_version: Option<String>,
    /// The ACS's 3DS Method URL; absent means no method (threeDSCompInd U).
    #[serde(rename = "threeDSMethodURL", default, skip_serializing_if = "Option::is_none")]
    pub three_ds_method_url: Option<String>,
    /// Fields this type does not model, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CardRange {
    /// Whether `pan` falls in this range (compared as numbers of equal length).
    pub fn contains(&self, pan: &str) -> bool {
        let width = self.start_range.len().max(self.end_range.len());
        let key = |digits: &str| -> Option<u128> {
            if digits.is_empty() || digits.len() > 38 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            // Pad on the right so ranges and card numbers of other lengths compare by prefix.
            format!("{digits:0<width$}").get(..width)?.parse().ok()
        };
        match (key(pan), key(&self.start_range), key(&self.end_range)) {
            (Some(pan), Some(start), Some(end)) => start <= pan && pan <= end,
            _ => false,
        }
    }

    /// The protocol versions both the ACS and the DS of this range support, oldest first.
    pub fn supported_versions(&self) -> Vec<MessageVersion> {
        let bound = |value: &Option<String>| value.as_deref().and_then(|v| v.parse::<MessageVersion>().ok());
        let start = bound(&self.acs_start_protocol_version).max(bound(&self.ds_start_protocol_version));
        let end = match (bound(&self.acs_end_protocol_version), bound(&self.ds_end_protocol_version)) {
            (Some(acs), Some(ds)) => Some(acs.min(ds)),
            (acs, ds) => acs.or(ds),
        };
        MessageVersion::ALL.into_iter().filter(|v| start.is_none_or(|s| *v >= s) && end.is_none_or(|e| *v <= e)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: &str, end: &str) -> CardRange {
        serde_json::from_value(serde_json::json!({
            "startRange": start, "endRange": end,
            "acsStartProtocolVersion": "2.1.0", "acsEndProtocolVersion": "2.2.0"
        }))
        .unwrap()
    }

    #[test]
    fn contains_compares_numbers() {
        let r = range("4000020000000000", "4000029999999999");
        assert!(r.contains("4000020000000000"));
        assert!(r.contains("4000029999999999"));
        assert!(!r.contains("4000030000000000"));
        assert!(!r.contains("not a number"));
        assert!(!r.contains(""));
    }

    #[test]
    fn supported_versions_intersects_bounds() {
        let r = range("1", "2");
        assert_eq!(r.supported_versions(), vec![MessageVersion::V2_1_0, MessageVersion::V2_2_0]);
    }
}

use super::MessageExtension;
use super::emv_message;
use super::marker::{RReqType, RResType};
use crate::{MessageCategory, MessageVersion, TransStatus, TransStatusReason};

emv_message! {
    /// Results Request: the ACS reports a challenge's outcome to the 3DS Server (via the DS).
    pub struct RReq {
        required {
            message_type: RReqType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
            ds_trans_id: String = "dsTransID",
            message_category: MessageCategory = "messageCategory",
            trans_status: TransStatus = "transStatus",
        }
        optional {
            acs_rendering_type: serde_json::Map<String, serde_json::Value> = "acsRenderingType",
            authentication_method: String = "authenticationMethod",
            authentication_type: String = "authenticationType",
            authentication_value: String = "authenticationValue",
            /// Why the challenge was cancelled (see [`crate::codes::challenge_cancel`]).
            challenge_cancel: String = "challengeCancel",
            eci: String = "eci",
            /// How many times the cardholder answered, two digits.
            interaction_counter: String = "interactionCounter",
            message_extension: Vec<MessageExtension> = "messageExtension",
            trans_status_reason: TransStatusReason = "transStatusReason",
            white_list_status: String = "whiteListStatus",
            white_list_status_source: String = "whiteListStatusSource",
        }
    }
}

emv_message! {
    /// Results Response: the 3DS Server acknowledges an RReq.
    pub struct RRes {
        required {
            message_type: RResType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
            ds_trans_id: String = "dsTransID",
            /// 01 received for further processing, 02 challenge cancelled, 03 not sent (ACS error).
            results_status: String = "resultsStatus",
        }
        optional {
            message_extension: Vec<MessageExtension> = "messageExtension",
        }
    }
}

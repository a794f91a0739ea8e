use super::MessageExtension;
use super::emv_message;
use super::marker::{CReqType, CResType};
use crate::{ChallengeWindowSize, MessageVersion, TransStatus};

emv_message! {
    /// Challenge Request: posted by the browser as form field `creq` (base64url) to the ARes `acsURL`.
    pub struct CReq {
        required {
            message_type: CReqType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
            /// Rule: required on the browser channel; the iframe is rendered at exactly this size.
            challenge_window_size: ChallengeWindowSize = "challengeWindowSize",
        }
        optional {
            /// Rule: at most 10 entries.
            message_extension: Vec<MessageExtension> = "messageExtension",
        }
    }
}

emv_message! {
    /// Challenge Response: the final one is posted by the ACS page as form field
    /// `cres` (base64url) to the AReq's `notificationURL`.
    pub struct CRes {
        required {
            message_type: CResType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
        }
        optional {
            /// Rule: Y or N in the final browser CRes.
            trans_status: TransStatus = "transStatus",
            /// Y when the challenge is complete.
            challenge_completion_ind: String = "challengeCompletionInd",
            message_extension: Vec<MessageExtension> = "messageExtension",
        }
    }
}

//! The 3DS Server's results endpoint: an RReq in (from the ACS, through the DS),
//! the result recorded on its session, an RRes out.

use std::time::SystemTime;

use threeds_protocol::ResultsStatus;
use threeds_protocol::messages::{RReq, RRes};
use uuid::Uuid;

use crate::AppState;
use crate::support::transcript::{self, party};

/// Takes an RReq and records the result on the session of its threeDSServerTransID.
pub fn accept_rreq(state: &AppState, rreq: RReq) -> RRes {
    let rres = RRes::answering(&rreq, ResultsStatus::Received);
    transcript::record(state, &rreq.three_ds_server_trans_id, "RReq", party::ACS, party::SERVER, rreq.clone());
    transcript::record(state, &rres.three_ds_server_trans_id, "RRes", party::SERVER, party::ACS, rres.clone());
    let session_id = Uuid::parse_str(&rreq.three_ds_server_trans_id).ok().and_then(|trans_id| state.session_by_trans_id.get(&trans_id));
    if let Some(id) = session_id {
        state.sessions.update(&id, |session| {
            if let Some(authentication) = &mut session.authentication
                && authentication.ares.acs_trans_id == rreq.acs_trans_id
            {
                authentication.rreq = Some(rreq);
                session.modified = SystemTime::now();
            }
        });
    }
    rres
}

// threeds-web's React bindings in StrictMode: useThreeDS loads the SDK, the merchant
// server (the mock's demo merchant) authenticates, and <ThreeDSChallenge> shows the
// challenge inline. ?api= is the session API's origin, ?pan= the card.
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { useThreeDS, ThreeDSChallenge } from "threeds-web/react";

const params = new URLSearchParams(location.search);
const API = params.get("api");
const KEY = "pk_test_threeds_mock";
const base = new URL("node_modules/threeds-web/", location.href);
const host = new URL("host/host.html", base);
host.hostname = host.hostname === "localhost" ? "127.0.0.1" : "localhost";

async function authenticate(sessionId) {
  const response = await fetch(`${API}/demo-merchant/payments`, {
    method: "POST",
    headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ session_id: sessionId, amount: "1999", currency: "978" }),
  });
  return response.json();
}

function Checkout() {
  const { client, error } = useThreeDS({
    apiBaseUrl: API, publishableKey: KEY, hostUrl: host.href,
  });
  const [challenge, setChallenge] = useState(null);
  const [outcome, setOutcome] = useState(null);

  async function pay() {
    const session = await client.createSession({ pan: params.get("pan") });
    const auth = await authenticate(session.sessionId);
    if (auth.authentication_status_code !== "C") return setOutcome(`frictionless ${auth.authentication_status_code}`);
    setChallenge({
      sessionId: session.sessionId,
      acsChallengeUrl: auth.acs_challenge_url,
      acsTransactionId: auth.acs_transaction_id,
      threeDSVersion: auth.threeds_version,
      threeDSServerTransId: auth.three_ds_server_transaction_id,
      windowSize: "02",
    });
  }

  if (error) return <p id="outcome" data-outcome={`error ${error.code}`}>{error.message}</p>;
  return (
    <>
      <button id="pay" type="button" disabled={!client} onClick={() => pay().catch((e) => setOutcome(`error ${e.code}`))}>Pay</button>
      {challenge && !outcome && (
        <ThreeDSChallenge
          client={client}
          options={challenge}
          onComplete={(result) => setOutcome(`challenge ${result.transStatus}`)}
          onError={(e) => setOutcome(`error ${e.code}`)}
        />
      )}
      {outcome && <p id="outcome" data-outcome={outcome}>{outcome}</p>}
    </>
  );
}

function App() {
  const [shown, setShown] = useState(true);
  return (
    <StrictMode>
      <button id="toggle" type="button" onClick={() => setShown(!shown)}>{shown ? "Unmount" : "Mount"}</button>
      {shown && <Checkout />}
    </StrictMode>
  );
}

createRoot(document.getElementById("root")).render(<App />);

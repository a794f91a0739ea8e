// A processor's hosted 3DS page (Stripe's redirect_to_url, a Stripe source's
// redirect[url], Checkout.com's _links.redirect) ends by navigating its frame to the
// return URL; inline and modal flows point it here, on the SDK origin. This page
// posts the query parameters it received to its parent, the SDK host frame on this
// same origin, which settles presentAuthentication with { returnUrl, params }.
(function () {
  "use strict";
  var MAX_PARAMS = 32, MAX_VALUE = 4096;
  var params = {};
  var count = 0;
  new URLSearchParams(location.search).forEach(function (value, name) {
    if (count < MAX_PARAMS && value.length <= MAX_VALUE && !(name in params)) {
      params[name] = value;
      count += 1;
    }
  });
  // Client secrets leave the address (and the frame's history) once read.
  history.replaceState(null, "", location.pathname);
  if (window.parent !== window) {
    window.parent.postMessage({ type: "threeds-web:return", version: 1, params: params }, location.origin);
  }
})();

// The one relay message of threeds-web, version 1. This page runs in the method or
// challenge frame, on the SDK origin, after a 3DS Server's notification endpoint
// answered the ACS's form post with `303 See Other` (or a page that forwards) to
//   <SDK origin>/relay.html#threeDSMethodData=...          (3DS Method)
//   <SDK origin>/relay.html#cres=...&threeDSSessionData=... (challenge)
// It posts the form fields, unchanged, to its parent (the SDK host frame, on this
// same origin) and to no one else. The host decodes them and accepts them only from
// the frame of the flow in progress, for that flow's transaction IDs.
(function () {
  "use strict";
  var FIELDS = ["threeDSMethodData", "cres", "threeDSSessionData"];
  var MAX_FIELD = 65536;
  var params = new URLSearchParams(location.hash.slice(1));
  var fields = {};
  FIELDS.forEach(function (name) {
    var value = params.get(name);
    if (value !== null && value.length <= MAX_FIELD) fields[name] = value;
  });
  // The fields leave the address (and the frame's history) once read.
  history.replaceState(null, "", location.pathname);
  if (window.parent !== window) {
    window.parent.postMessage({ type: "threeds-web:relay", version: 1, fields: fields }, location.origin);
  }
})();

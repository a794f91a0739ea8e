(function () {
  var params = new URLSearchParams(location.search);
  var parentOrigin = params.get("parent");
  var commands = [];
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    var data = event.data || {};
    if (data.puppet === "post") {
      // Post each given message to the parent, in order.
      data.messages.forEach(function (message) { window.parent.postMessage(message, parentOrigin); });
    } else if (data.puppet === "commands") {
      window.parent.postMessage({ puppetCommands: commands }, parentOrigin);
    } else {
      commands.push(data);
    }
  });
  // ?silent=sized: a challenge frame (the only sized one; the background frame is
  // 0 x 0) never says ready, as a host page that never loads.
  if (params.get("silent") === "sized" && window.innerWidth > 0) return;
  window.parent.postMessage({ protocol: "threeds-web", version: 2, kind: "ready" }, parentOrigin);
})();

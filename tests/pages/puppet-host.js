(function () {
  var parentOrigin = new URLSearchParams(location.search).get("parent");
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
  window.parent.postMessage({ protocol: "threeds-web", version: 1, kind: "ready" }, parentOrigin);
})();

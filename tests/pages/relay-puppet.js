(function () {
  window.addEventListener("message", function (event) {
    if (event.source !== window.top) return;
    var data = event.data || {};
    if (data.puppet === "relay") {
      var targets = [];
      if (window.parent === window.top) {
        // A frame of the test page: every sibling (the SDK host frame among them).
        for (var i = 0; i < window.parent.frames.length; i++) {
          if (window.parent.frames[i] !== window) targets.push(window.parent.frames[i]);
        }
      } else {
        targets.push(window.parent);
      }
      data.messages.forEach(function (message) {
        targets.forEach(function (target) { target.postMessage(message, location.origin); });
      });
      window.top.postMessage({ puppetRelayed: data.messages.length }, "*");
    } else if (data.puppet === "submit") {
      // Post a form from this frame (it navigates away): e.g. the one-time code to the ACS.
      var form = document.createElement("form");
      form.method = "post";
      form.action = data.action;
      Object.keys(data.fields).forEach(function (name) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = data.fields[name];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    }
  });
  window.top.postMessage({ puppetRelayReady: true }, "*");
})();

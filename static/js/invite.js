/* Customer invite pages: tell the contact plainly when an autosave could not be stored. No inline scripts (CSP). */
(function () {
  "use strict";

  function say(html, bad) {
    var box = document.getElementById("autosave-status");
    if (!box) return;
    box.innerHTML = "";
    var span = document.createElement("span");
    span.className = bad ? "text-danger" : "text-body-secondary";
    span.textContent = html;
    box.appendChild(span);
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target.matches && event.target.matches("form[data-autosave]")) say("Saving…", false);
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status === 409) {
      say("Not saved: this assessment has been submitted and can no longer be changed. Reload the page to see the results.", true);
    } else if (status === 404 || status === 429) {
      say("Not saved: this link no longer works. Ask your contact for a new one.", true);
    } else {
      say("Not saved: something went wrong. Reload the page and try again.", true);
    }
  });

  document.body.addEventListener("htmx:sendError", function () {
    say("Not saved yet: the connection was lost. Your last change will be sent when you change an answer again, or press Save.", true);
  });
})();

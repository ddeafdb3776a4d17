// Slow downloads (the offer-analysis PDF takes several seconds to build): a link marked
// data-preparing="…" announces that the file is being prepared, in the live region named by
// data-status, until the server answers. The server echoes the link's one-off `jeton` in the
// mutualis_telechargement cookie with the file, which is how the page learns that it has arrived.
// Served as a file, not inline, so that the Content-Security-Policy can forbid inline scripts.
(function () {
  var COOKIE = "mutualis_telechargement";
  function cookie() {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(COOKIE + "=") === 0; })[0];
    return found ? found.slice(COOKIE.length + 1) : "";
  }
  document.querySelectorAll("a[data-preparing]").forEach(function (link) {
    var status = document.getElementById(link.dataset.status), base = link.getAttribute("href");
    link.addEventListener("click", function (event) {
      if (link.getAttribute("aria-disabled") === "true") { event.preventDefault(); return; }
      var token = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
      link.setAttribute("href", base + (base.indexOf("?") < 0 ? "?" : "&") + "jeton=" + token);
      link.setAttribute("aria-disabled", "true");
      link.classList.add("disabled");
      status.textContent = link.dataset.preparing;
      var started = Date.now();
      (function wait() {
        if (cookie() === token) {
          status.textContent = link.dataset.ready || "";
        } else if (Date.now() - started > 120000) {
          status.textContent = "";
        } else {
          setTimeout(wait, 500);
          return;
        }
        link.removeAttribute("aria-disabled");
        link.classList.remove("disabled");
        link.setAttribute("href", base);
      })();
    });
  });
})();

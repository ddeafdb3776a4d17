// Progress of a background job (DECP or spend import, governance report): polls the run's status and reloads the page once it has ended.
// Served as a file, not inline, so that the Content-Security-Policy can forbid inline scripts.
(function () {
  var box = document.getElementById("avancement"), bar = document.getElementById("barre"), text = document.getElementById("etat");
  var announced = -10;
  function poll() {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}}).then(function (r) { return r.json(); }).then(function (s) {
      bar.value = s.percent;
      if (s.status !== "queued" && s.status !== "running") { window.location.reload(); return; }
      // Announce every 10 % only, so that screen readers are not flooded.
      if (s.percent - announced >= 10) { text.textContent = s.text || (s.label + " — " + s.records_read + " enregistrements lus (" + s.percent + " %)."); announced = s.percent; }
      setTimeout(poll, 1500);
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();

// CPV fields: as the user types digits or words, the codes that match are proposed in the field's
// <datalist> (the browser shows them under the field, keyboard and screen readers included).
// In a field holding several codes separated by commas, only the last one is looked up and replaced.
(function () {
  "use strict";

  function lastPart(value) {
    var cut = value.lastIndexOf(",");
    return { head: cut < 0 ? "" : value.slice(0, cut + 1) + " ", text: value.slice(cut + 1).trim() };
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    if (!list) {
      return;
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var part = lastPart(input.value);
        if (part.text.length < 2 || part.text === asked || /^\d{8}$/.test(part.text)) {
          return;
        }
        asked = part.text;
        var url = input.dataset.cpvSuggest + "?q=" + encodeURIComponent(part.text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (item) {
              var option = document.createElement("option");
              option.value = part.head + item.code;
              option.label = item.label;
              option.textContent = item.label;
              return option;
            }));
          })
          .catch(function () { /* no proposal: the field still takes a typed code */ });
      }, 200);
    });
  }

  document.querySelectorAll("input[data-cpv-suggest]").forEach(attach);
})();

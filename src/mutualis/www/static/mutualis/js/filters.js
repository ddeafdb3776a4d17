// Filter panels are open by default; on a narrow screen, one with no filter applied starts closed.
"use strict";
if (window.matchMedia("(max-width: 991.98px)").matches) {
  document.querySelectorAll("details[data-close-on-narrow]").forEach((details) => {
    details.open = false;
  });
}

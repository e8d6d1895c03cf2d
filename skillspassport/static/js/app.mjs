// Progressive enhancement only: every page works without this file.
import { initAll } from "../build/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// Priority areas: with JavaScript, changing the method, base or weights updates the map and
// table in place. Without it, the "Update the ranking" button submits the same form.
const targeting = document.querySelector("form[data-app-targeting]");
const results = document.getElementById("targeting-results");
if (targeting && results) {
  let pending;
  targeting.addEventListener("change", () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const query = new URLSearchParams(new FormData(targeting));
      const response = await fetch(`?${query}&partial=1`, { credentials: "same-origin" });
      if (!response.ok) {
        targeting.submit(); // let the server show what went wrong
        return;
      }
      results.innerHTML = await response.text();
      history.replaceState(null, "", `?${query}`);
    }, 250);
  });
}

// Print buttons: hidden without JavaScript (the page says to use the browser's print command).
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// Copy-link buttons: the link is always on the page as selectable text; the button copies it.
for (const button of document.querySelectorAll("[data-app-copy]")) {
  const text = document.getElementById(button.dataset.appCopy);
  const status = button.parentElement.querySelector(".app-copy-link__status");
  if (!text) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text.textContent.trim());
      status.textContent = "Link copied.";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(text);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected link.";
    }
  });
}

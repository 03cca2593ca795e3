// Treffpunkt page: the legal-basis fields of a meeting show (and are sent) only when a personal case was discussed.
function sync(checkbox) {
  const fieldset = checkbox.form.querySelector("[data-basis-fields]");
  fieldset.hidden = !checkbox.checked;
  fieldset.disabled = !checkbox.checked;
}

document.addEventListener("change", (event) => {
  if (event.target.matches("input[data-personal-case]")) sync(event.target);
});
// coop.js swaps regions after a save; the fieldsets of fresh forms start hidden and disabled.
new MutationObserver(() => {
  for (const box of document.querySelectorAll("input[data-personal-case]")) sync(box);
}).observe(document.body, { childList: true, subtree: true });
for (const box of document.querySelectorAll("input[data-personal-case]")) sync(box);
